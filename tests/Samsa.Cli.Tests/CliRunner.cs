using System.Diagnostics;
using System.Text;

namespace Samsa.Cli.Tests;

/// <summary>What a samsa run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public byte[] OutBytes { get; init; } = [];

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}; stdout: {Out}; stderr: {Error}";
}

/// <summary>Runs samsa: in-process through its entry point (CliApp.RunAsync), or as a process of its own.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: "");

    public static async Task<CliResult> RunAsync(string[] args, string stdin, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        using var output = new MemoryStream();
        using var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(input, output, error, outputIsTerminal: false, errorIsTerminal: false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int code = await CliApp.RunAsync(args, console, limit.Token).WaitAsync(timeout ?? TimeSpan.FromSeconds(90), CancellationToken.None);
        byte[] bytes = output.ToArray();
        return new CliResult(code, Encoding.UTF8.GetString(bytes), error.ToString()) { OutBytes = bytes };
    }

    /// <summary>The built samsa program (the apphost next to the CLI's own build output).</summary>
    public static string Executable
    {
        get
        {
            string dir = AppContext.BaseDirectory;
            string configuration = dir.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            DirectoryInfo? root = new(dir);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Samsa.sln")))
            {
                root = root.Parent;
            }

            string path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Samsa.sln not found above " + dir),
                "src", "Samsa.Cli", "bin", configuration, "net10.0", "samsa");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Samsa.Cli first.", path);
        }
    }

    /// <summary>Starts samsa as a process with redirected stdin/stdout/stderr.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("samsa did not start");
    }

    /// <summary>Sends a signal to a process this test started (by its id).</summary>
    public static void Signal(Process process, string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
