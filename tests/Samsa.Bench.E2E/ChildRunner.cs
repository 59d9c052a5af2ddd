using System.Diagnostics;

namespace Samsa.Bench.E2E;

/// <summary>Runs one client process and returns its RESULT line (null when the client does not support the phase).</summary>
internal static class ChildRunner
{
    /// <summary>The exit status a client uses for "this phase is not available in this client" (as automake's skip).</summary>
    public const int Unsupported = 77;

    public static RunResult? Run(string executable, IEnumerable<string> args, int run, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(psi)} did not finish within {timeout.TotalMinutes:F0} min.\n{Tail(stderr)}");
        }

        process.WaitForExit(); // drains the redirected streams
        if (process.ExitCode == Unsupported)
        {
            Console.WriteLine($"    (not available: {stdout.Result.Trim()} {Tail(stderr).Trim()})");
            return null;
        }

        RunResult? result = null;
        foreach (string line in stdout.Result.Split('\n'))
        {
            result ??= RunResult.Parse(line.Trim(), run);
        }

        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException(
                $"{Describe(psi)} exited with {process.ExitCode} without a RESULT line.\nstdout:\n{stdout.Result}\nstderr:\n{Tail(stderr)}");
        }

        foreach (string line in Tail(stderr).Split('\n'))
        {
            if (line.StartsWith("DIAG ", StringComparison.Ordinal))
            {
                Console.WriteLine("    " + line.Trim()); // the .NET clients' allocation and GC figures
            }
        }

        return result;
    }

    private static string Describe(ProcessStartInfo psi) => psi.FileName + " " + string.Join(' ', psi.ArgumentList);

    private static string Tail(System.Text.StringBuilder sb)
    {
        lock (sb)
        {
            string s = sb.ToString();
            return s.Length > 4000 ? s[^4000..] : s;
        }
    }
}
