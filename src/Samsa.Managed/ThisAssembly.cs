using System.Reflection;

namespace Samsa;

/// <summary>Version information of the Samsa assembly.</summary>
internal static class ThisAssembly
{
    /// <summary>The informational version without build metadata, e.g. "1.0.0".</summary>
    public static readonly string Version = Clean(
        typeof(ThisAssembly).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0");

    private static string Clean(string v)
    {
        int plus = v.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? v[..plus] : v;
    }
}
