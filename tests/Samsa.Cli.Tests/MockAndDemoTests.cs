using System.Diagnostics;

namespace Samsa.Cli.Tests;

/// <summary>samsa mock and samsa demo, run as the program itself (they start clusters and processes).</summary>
public sealed class MockAndDemoTests
{
    [Fact]
    public async Task Mock_prints_its_bootstrap_list_serves_clients_and_stops_on_SIGTERM()
    {
        using Process mock = CliRunner.Start("mock", "--brokers", "2", "--topic", "cli-mock:3");
        try
        {
            string? bootstrap = await mock.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(bootstrap);
            Assert.Matches(@"^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$", bootstrap);

            CliResult metadata = await CliRunner.RunAsync("metadata", "-b", bootstrap, "-t", "cli-mock");
            Assert.True(metadata.ExitCode == 0, metadata.ToString());
            Assert.Contains(" 2 brokers:", metadata.Out, StringComparison.Ordinal);
            Assert.Contains("topic \"cli-mock\" with 3 partitions:", metadata.Out, StringComparison.Ordinal);
            CliResult produced = await CliRunner.RunAsync(["produce", "-b", bootstrap, "-t", "cli-mock"], "hello\n");
            Assert.Equal(0, produced.ExitCode);

            CliRunner.Signal(mock, "TERM");
            await mock.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, mock.ExitCode);
        }
        finally
        {
            if (!mock.HasExited)
            {
                mock.Kill();
            }
        }
    }

    [Fact]
    public async Task Mock_control_mode_speaks_the_test_cluster_protocol_and_ends_with_stdin()
    {
        using Process mock = CliRunner.Start("mock", "--control", "--brokers", "1");
        try
        {
            string? first = await mock.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("BOOTSTRAP 127.0.0.1:", first, StringComparison.Ordinal);
            await mock.StandardInput.WriteLineAsync("create-topic via-control 2");
            await mock.StandardInput.FlushAsync();
            string? reply = await mock.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(reply);
            Assert.StartsWith("OK", reply, StringComparison.Ordinal);
            CliResult metadata = await CliRunner.RunAsync("metadata", "-b", first!["BOOTSTRAP ".Length..], "-t", "via-control");
            Assert.Contains("with 2 partitions", metadata.Out, StringComparison.Ordinal);
            mock.StandardInput.Close();
            await mock.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, mock.ExitCode);
        }
        finally
        {
            if (!mock.HasExited)
            {
                mock.Kill();
            }
        }
    }

    [Fact]
    public async Task Bad_flags_exit_2_from_the_real_program_too()
    {
        using Process samsa = CliRunner.Start("produce", "--bogus");
        string error = await samsa.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await samsa.WaitForExitAsync();
        Assert.Equal(2, samsa.ExitCode);
        Assert.Equal("samsa produce: unknown option '--bogus' (see 'samsa produce --help')", error.TrimEnd('\n'));
    }

    [Fact]
    public async Task Demo_produces_and_consumes_in_a_group_and_reports_throughput_and_latency()
    {
        CliResult result = await CliRunner.RunAsync(["demo", "--messages", "20000", "--partitions", "8", "--size", "64"], "", timeout: TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("20,000 messages of 64 bytes, 8 partitions, 3 brokers (embedded mock cluster), 3 consumers in group samsa-demo-", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"produced\s+20,000 in\s+[\d.]+ s\s+[\d,]+ msg/s\s+[\d.]+ MB/s", result.Out);
        Assert.Matches(@"consumed\s+20,000 in\s+[\d.]+ s\s+[\d,]+ msg/s\s+[\d.]+ MB/s", result.Out);
        Assert.Matches(@"end-to-end latency \(under full load, producer queueing included\): p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms", result.Out);
        Assert.Contains("every message received exactly once: yes", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("produce [", result.Error, StringComparison.Ordinal); // no progress bar when stderr is not a terminal
    }
}
