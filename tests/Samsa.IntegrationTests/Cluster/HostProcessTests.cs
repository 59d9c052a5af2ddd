using System.Diagnostics;
using System.Net.Sockets;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Cluster;

/// <summary>The host process itself: start-up, failures, and that it never outlives its parent's channel.</summary>
public sealed class HostProcessTests
{
    [Fact]
    public async Task Start_prints_one_address_per_broker_and_every_broker_accepts_connections()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(brokers: 2);

        Assert.Equal(2, cluster.BrokerCount);
        Assert.Equal(cluster.BootstrapServers, string.Join(',', cluster.BrokerAddresses));
        string brokers = await cluster.SendCommandAsync("brokers");
        Assert.Equal($"1={cluster.BrokerAddress(1)} 2={cluster.BrokerAddress(2)}", brokers);
        for (int id = 1; id <= 2; id++)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(Host(cluster.BrokerAddress(id)), Port(cluster.BrokerAddress(id)));
            Assert.True(tcp.Connected);
        }

        await cluster.PingAsync();
    }

    [Fact]
    public async Task Topics_given_on_the_command_line_exist_at_start()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(1, ["pre-made:4"], TimeSpan.FromSeconds(30), CancellationToken.None);

        var e = await Assert.ThrowsAsync<TestClusterCommandException>(() => cluster.CreateTopicAsync("pre-made", 4));
        Assert.StartsWith("TOPIC_ALREADY_EXISTS: ", e.HostMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_fail_the_start_with_the_host_error_in_the_message()
    {
        var e = await Assert.ThrowsAsync<TestClusterException>(
            () => TestCluster.StartAsync(1, ["no-partition-count"], TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Contains("has exited (code 2)", e.Message, StringComparison.Ordinal);
        Assert.Contains("--topic takes NAME:PARTITIONS[:RF]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closing_stdin_makes_the_host_destroy_the_cluster_and_exit()
    {
        ProcessStartInfo psi = HostLauncher.CreateStartInfo(["--brokers", "1"]);
        using Process process = Process.Start(psi)!;
        try
        {
            string? first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(first);
            Assert.StartsWith("BOOTSTRAP ", first, StringComparison.Ordinal);
            string address = first["BOOTSTRAP ".Length..];

            process.StandardInput.Close(); // what the parent dying looks like from the host

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(exited.Token);
            Assert.Equal(0, process.ExitCode);
            var refused = await Assert.ThrowsAsync<SocketException>(async () =>
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(Host(address), Port(address));
            });
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Quit_command_is_answered_then_the_host_exits()
    {
        TestCluster cluster = await TestCluster.StartAsync(brokers: 1);
        try
        {
            Assert.Equal("bye", await cluster.SendCommandAsync("quit"));
            for (int i = 0; i < 100 && !cluster.HasExited; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(cluster.HasExited);
            var e = await Assert.ThrowsAsync<TestClusterException>(() => cluster.PingAsync());
            Assert.Contains("has exited (code 0)", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dispose_stops_the_host_and_frees_its_ports()
    {
        TestCluster cluster = await TestCluster.StartAsync(brokers: 1);
        string address = cluster.BrokerAddress(1);
        int pid = cluster.ProcessId;

        await cluster.DisposeAsync();

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(Host(address), Port(address));
        });
    }

    [Fact]
    public async Task Malformed_and_unknown_commands_get_ERR_and_the_channel_stays_usable()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(brokers: 1);

        var unknown = await Assert.ThrowsAsync<TestClusterCommandException>(() => cluster.SendCommandAsync("frobnicate"));
        Assert.Contains("unknown command", unknown.HostMessage, StringComparison.Ordinal);
        var usage = await Assert.ThrowsAsync<TestClusterCommandException>(() => cluster.SendCommandAsync("leader only-topic"));
        Assert.StartsWith("usage: leader", usage.HostMessage, StringComparison.Ordinal);
        var badBroker = await Assert.ThrowsAsync<TestClusterCommandException>(() => cluster.BrokerDownAsync(7));
        Assert.Contains("Broker ids run from 1 to 1", badBroker.HostMessage, StringComparison.Ordinal);
        await cluster.PingAsync();
    }

    [Fact]
    public async Task A_host_that_stops_answering_times_out_the_command_and_is_refused_afterwards()
    {
        // A stand-in host: announces itself, reads one command, then hangs without answering.
        await using TestCluster cluster = await TestCluster.StartAsync(
            FakeHost("echo 'BOOTSTRAP 127.0.0.1:1'; read cmd; exec sleep 60"), 1, TimeSpan.FromSeconds(10), CancellationToken.None);
        cluster.CommandTimeout = TimeSpan.FromMilliseconds(300);
        cluster.ShutdownGracePeriod = TimeSpan.FromMilliseconds(200);

        var timeout = await Assert.ThrowsAsync<TestClusterException>(() => cluster.PingAsync());
        Assert.Contains("did not answer 'ping' within 0.3 s", timeout.Message, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<TestClusterException>(() => cluster.BrokerDownAsync(1));
        Assert.Contains("unusable", refused.Message, StringComparison.Ordinal);

        int pid = cluster.ProcessId;
        await cluster.DisposeAsync(); // stdin EOF does not stop `sleep`: disposal has to kill it
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    [Fact]
    public async Task A_host_that_never_announces_itself_fails_the_start_within_the_timeout()
    {
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TestClusterException>(() => TestCluster.StartAsync(
            FakeHost("echo 'librdkafka: something went wrong' >&2; exec sleep 60"), 1, TimeSpan.FromMilliseconds(500), CancellationToken.None));

        Assert.Contains("did not answer 'start-up'", e.Message, StringComparison.Ordinal);
        Assert.Contains("something went wrong", e.Message, StringComparison.Ordinal); // its stderr is in the message
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_reply_outside_the_protocol_is_reported_as_such()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(
            FakeHost("echo 'BOOTSTRAP 127.0.0.1:1'; read cmd; echo 'HELLO'; read cmd"), 1, TimeSpan.FromSeconds(10), CancellationToken.None);

        var e = await Assert.ThrowsAsync<TestClusterException>(() => cluster.PingAsync());
        Assert.Contains("out of protocol: 'HELLO'", e.Message, StringComparison.Ordinal);
    }

    private static ProcessStartInfo FakeHost(string script)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        return psi;
    }

    internal static string Host(string hostPort) => hostPort[..hostPort.LastIndexOf(':')];

    internal static int Port(string hostPort) => int.Parse(hostPort[(hostPort.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
