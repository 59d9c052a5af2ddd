using BenchmarkDotNet.Running;

namespace Samsa.Benchmarks;

/// <summary>Micro benchmarks: <c>dotnet run -c Release --project tests/Samsa.Benchmarks -- --filter '*'</c>.</summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
