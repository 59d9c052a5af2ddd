using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Samsa.TestSupport;

/// <summary>
/// A mock Kafka cluster in its own host process (Samsa.TestCluster), driven over the host's stdin/stdout.
/// Commands run one at a time and time out after <see cref="CommandTimeout"/>; after a timeout the channel is
/// out of step, so the cluster refuses further commands. Disposing kills the host and waits for it.
/// </summary>
public sealed partial class TestCluster : IAsyncDisposable
{
    private const int StderrLinesKept = 200;

    private readonly Process _process;
    private readonly Channel<string> _stdout;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly SemaphoreSlim _commandLock = new(1, 1);
    private readonly Task _stdoutPump;
    private string? _brokenReason;
    private int _disposed;

    private TestCluster(Process process, Channel<string> stdout, Task stdoutPump)
    {
        _process = process;
        _stdout = stdout;
        _stdoutPump = stdoutPump;
        BootstrapServers = "";
        BrokerAddresses = [];
    }

    /// <summary>Comma-separated host:port of every broker.</summary>
    public string BootstrapServers { get; private set; }

    /// <summary>Each broker's host:port; index 0 is broker 1.</summary>
    public IReadOnlyList<string> BrokerAddresses { get; private set; }

    /// <summary>Number of brokers; their ids are 1..BrokerCount.</summary>
    public int BrokerCount => BrokerAddresses.Count;

    /// <summary>How long one command may take before the cluster is declared broken.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long disposal waits for the host to exit by itself before killing it.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The host's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the host process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the host (and librdkafka's log) wrote to stderr.</summary>
    public string StandardErrorTail => string.Join(Environment.NewLine, _stderr);

    /// <summary>The host:port broker <paramref name="brokerId"/> listens on.</summary>
    public string BrokerAddress(int brokerId) =>
        brokerId >= 1 && brokerId <= BrokerAddresses.Count
            ? BrokerAddresses[brokerId - 1]
            : throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"Broker ids run from 1 to {BrokerAddresses.Count}.");

    /// <summary>Starts a host with <paramref name="brokers"/> brokers and the given topics ("NAME:PARTITIONS[:RF]").</summary>
    public static Task<TestCluster> StartAsync(int brokers = 3, IEnumerable<string>? topics = null, CancellationToken cancellationToken = default) =>
        StartAsync(brokers, topics, TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>Starts a host and waits up to <paramref name="startTimeout"/> for its BOOTSTRAP line.</summary>
    /// <exception cref="TestClusterException">The host could not start; the message includes its stderr.</exception>
    public static async Task<TestCluster> StartAsync(
        int brokers, IEnumerable<string>? topics, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var args = new List<string> { "--brokers", brokers.ToString(CultureInfo.InvariantCulture) };
        foreach (string topic in topics ?? [])
        {
            args.Add("--topic");
            args.Add(topic);
        }

        return await StartAsync(HostLauncher.CreateStartInfo(args), brokers, startTimeout, cancellationToken);
    }

    /// <summary>Starts any program that speaks the host protocol (tests use stand-ins that misbehave).</summary>
    internal static async Task<TestCluster> StartAsync(
        ProcessStartInfo psi, int brokers, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        try
        {
            if (!process.Start())
            {
                throw new TestClusterException($"Could not start the test cluster host ({psi.FileName}).");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new TestClusterException($"Could not start the test cluster host ({psi.FileName}): {e.Message}", e);
        }

        var stdout = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task pump = PumpAsync(process.StandardOutput, stdout.Writer);
        var cluster = new TestCluster(process, stdout, pump);
        process.ErrorDataReceived += cluster.OnStderr;
        process.BeginErrorReadLine();

        try
        {
            string line = await cluster.ReadLineAsync(startTimeout, "start-up", cancellationToken);
            if (!line.StartsWith("BOOTSTRAP ", StringComparison.Ordinal))
            {
                throw cluster.Failure($"The test cluster host printed '{line}' instead of 'BOOTSTRAP host:port,...'.");
            }

            cluster.BootstrapServers = line["BOOTSTRAP ".Length..].Trim();
            cluster.BrokerAddresses = cluster.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (cluster.BrokerAddresses.Count != brokers)
            {
                throw cluster.Failure($"The host reported {cluster.BrokerAddresses.Count} brokers, {brokers} were asked for: {line}");
            }

            return cluster;
        }
        catch
        {
            cluster.ShutdownGracePeriod = TimeSpan.FromMilliseconds(500); // it is broken: do not wait long
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends one command line and returns the data after <c>OK</c> (empty when there is none).
    /// </summary>
    /// <exception cref="TestClusterCommandException">The host answered ERR.</exception>
    /// <exception cref="TestClusterException">The host died, timed out, or answered out of protocol.</exception>
    public async Task<string> SendCommandAsync(string command, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (command.Contains('\n', StringComparison.Ordinal) || command.Contains('\r', StringComparison.Ordinal))
        {
            throw new ArgumentException("A command is a single line.", nameof(command));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _commandLock.WaitAsync(cancellationToken);
        try
        {
            if (_brokenReason is not null)
            {
                throw Failure($"The test cluster is unusable: {_brokenReason}");
            }

            try
            {
                await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken);
                await _process.StandardInput.FlushAsync(cancellationToken);
            }
            catch (IOException e)
            {
                _brokenReason = $"writing '{command}' failed: {e.Message}";
                throw Failure($"The test cluster host {ExitDescription()} (writing '{command}' failed: {e.Message}).");
            }

            string reply;
            try
            {
                reply = await ReadLineAsync(CommandTimeout, command, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or TestClusterException)
            {
                _brokenReason ??= $"no answer to '{command}' ({e.Message})";
                throw;
            }

            if (reply == "OK")
            {
                return "";
            }

            if (reply.StartsWith("OK ", StringComparison.Ordinal))
            {
                return reply[3..];
            }

            if (reply.StartsWith("ERR ", StringComparison.Ordinal))
            {
                throw new TestClusterCommandException(command, reply[4..]);
            }

            _brokenReason = $"'{command}' got the answer '{reply}'";
            throw Failure($"The test cluster host answered '{command}' out of protocol: '{reply}'.");
        }
        finally
        {
            _commandLock.Release();
        }
    }

    private async Task<string> ReadLineAsync(TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            if (await _stdout.Reader.WaitToReadAsync(timeoutCts.Token) && _stdout.Reader.TryRead(out string? line))
            {
                return line;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure($"The test cluster host did not answer '{what}' within {timeout.TotalSeconds:0.#} s.");
        }

        // End of stdout: the host exited.
        throw Failure($"The test cluster host {ExitDescription()} while waiting for '{what}'.");
    }

    private string ExitDescription() =>
        _process.WaitForExit(2000)
            ? $"has exited (code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)})"
            : "closed its output but has not exited";

    private TestClusterException Failure(string message)
    {
        // Give the stderr reader a moment: a dying host's last words are usually the useful part.
        Thread.Sleep(50);
        string stderr = StandardErrorTail;
        return new TestClusterException(stderr.Length == 0 ? message : $"{message}{Environment.NewLine}Host stderr:{Environment.NewLine}{stderr}");
    }

    private void OnStderr(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        _stderr.Enqueue(e.Data);
        while (_stderr.Count > StderrLinesKept && _stderr.TryDequeue(out _))
        {
        }
    }

    private static async Task PumpAsync(StreamReader reader, ChannelWriter<string> writer)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                writer.TryWrite(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: same as end of output.
        }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>
    /// Closes the host's stdin (it shuts the cluster down and exits), kills the process tree if it has not
    /// exited within a few seconds, and waits for it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using var graceful = new CancellationTokenSource(ShutdownGracePeriod);
        try
        {
            await _process.WaitForExitAsync(graceful.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited in the meantime.
            }

            await _process.WaitForExitAsync(CancellationToken.None);
        }

        await _stdoutPump;
        _process.ErrorDataReceived -= OnStderr;
        _process.Dispose();
        // _commandLock is not disposed: a command racing with disposal must fail on the dead process, not on it.
    }
}
