using System.Diagnostics;

namespace Samsa.Cli.Demo;

/// <summary>
/// The embedded test cluster in a child process of its own (`samsa mock --control`): librdkafka's mock may abort
/// its process on malformed requests, and must never take the demo down with it. Commands go over the child's
/// stdin (one line, one answer); closing stdin stops it.
/// </summary>
internal sealed class MockProcess : IAsyncDisposable
{
    private readonly Process _process;

    private MockProcess(Process process, string bootstrap)
    {
        _process = process;
        BootstrapServers = bootstrap;
    }

    public string BootstrapServers { get; }

    public static async Task<MockProcess> StartAsync(int brokers, string topic, int partitions, CancellationToken cancellationToken)
    {
        (string file, List<string> prefix) = Self();
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in prefix)
        {
            start.ArgumentList.Add(a);
        }

        foreach (string a in (string[])["mock", "--control", "--brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--topic", $"{topic}:{partitions}"])
        {
            start.ArgumentList.Add(a);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{file}'");
        var stderr = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.Enqueue(e.Data);
                    if (stderr.Count > 20)
                    {
                        stderr.Dequeue();
                    }
                }
            }
        };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        string? first;
        try
        {
            first = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            first = null;
        }

        if (first is null || !first.StartsWith("BOOTSTRAP ", StringComparison.Ordinal))
        {
            Kill(process);
            string tail;
            lock (stderr)
            {
                tail = string.Join(" | ", stderr);
            }

            throw new KafkaException(ErrorCode.LocalTransport, $"the mock cluster did not start ({file} mock --control): {(tail.Length > 0 ? tail : first ?? "no output")}");
        }

        return new MockProcess(process, first["BOOTSTRAP ".Length..].Trim());
    }

    /// <summary>Sends one control command (e.g. "rebalance-delay 0") and returns the answer; "ERR ..." answers throw.</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        string reply = await _process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new KafkaException(ErrorCode.LocalTransport, "the mock cluster process exited");
        return reply.StartsWith("OK", StringComparison.Ordinal)
            ? reply
            : throw new KafkaException(ErrorCode.LocalFail, $"mock cluster command '{command}' failed: {reply}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close(); // end of stdin: the mock shuts down
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            Kill(_process);
        }

        _process.Dispose();
    }

    /// <summary>How to run this same program again: the samsa binary (apphost or NativeAOT) beside us, else `dotnet samsa.dll`.</summary>
    private static (string File, List<string> Prefix) Self()
    {
        string dir = AppContext.BaseDirectory;
        string native = Path.Combine(dir, OperatingSystem.IsWindows() ? "samsa.exe" : "samsa");
        if (File.Exists(native))
        {
            return (native, []);
        }

        string dll = Path.Combine(dir, "samsa.dll");
        string? host = Environment.ProcessPath;
        if (host is null || !Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            host = "dotnet";
        }

        return (host, ["exec", dll]);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
