using System.Diagnostics;
using System.Text;

namespace Samsa.TestSupport;

/// <summary>What a kcat run printed.</summary>
/// <param name="ExitCode">Process exit code.</param>
/// <param name="StandardOutput">Everything on stdout (UTF-8).</param>
/// <param name="StandardError">Everything on stderr.</param>
public sealed record KcatResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs kcat (Debian package kcat, librdkafka 2.0.2 built in) for interop tests. A missing kcat is an error,
/// never a skip: CI installs the package, and a test that silently passed without it would prove nothing.
/// SAMSA_KCAT names another binary.
/// </summary>
public static class Kcat
{
    /// <summary>Names a kcat binary to use instead of the one on PATH.</summary>
    public const string PathVariable = "SAMSA_KCAT";

    /// <summary>Full path of kcat; throws <see cref="InvalidOperationException"/> saying how to install it.</summary>
    public static string Path
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return File.Exists(configured)
                    ? configured
                    : throw new InvalidOperationException($"{PathVariable}={configured}, but no such file exists.");
            }

            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(System.IO.Path.PathSeparator))
            {
                string candidate = System.IO.Path.Combine(dir, "kcat");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException(
                "kcat is not installed: interop tests need it (Debian: apt-get install kcat), or set " + PathVariable + " to its path.");
        }
    }

    /// <summary>Runs kcat with <paramref name="args"/>, feeding <paramref name="stdin"/> (UTF-8) when given.</summary>
    /// <exception cref="TimeoutException">kcat did not exit within <paramref name="timeout"/> (it is killed).</exception>
    public static async Task<KcatResult> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("kcat did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            // Raw bytes: StreamWriter would prepend a byte order mark.
            await process.StandardInput.BaseStream.WriteAsync(new UTF8Encoding(false).GetBytes(stdin), cancellationToken);
        }

        process.StandardInput.Close();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(60);
        cts.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"kcat {string.Join(' ', psi.ArgumentList)} did not exit within {limit.TotalSeconds:0} s. stderr: {await stderr}");
        }

        return new KcatResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kcat and throws, with its stderr, unless it exits 0.</summary>
    public static async Task<KcatResult> RunCheckedAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        string[] list = [.. args];
        KcatResult result = await RunAsync(list, stdin, timeout, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat {string.Join(' ', list)} exited {result.ExitCode}: {result.StandardError}");
        }

        return result;
    }
}
