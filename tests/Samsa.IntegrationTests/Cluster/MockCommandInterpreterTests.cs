extern alias TestClusterHost;

using TestClusterHost::Samsa.TestCluster;
using TestClusterHost::Samsa.TestCluster.Control;

namespace Samsa.IntegrationTests.Cluster;

/// <summary>
/// The control protocol, run in-process against a mock no client connects to (so nothing can make the mock
/// abort this process). This is how <c>samsa mock</c> uses it.
/// </summary>
public sealed class MockCommandInterpreterTests(InProcessMockFixture fixture) : IClassFixture<InProcessMockFixture>
{
    private readonly MockCluster _cluster = fixture.Cluster;
    private readonly MockCommandInterpreter _interpreter = new(fixture.Cluster);

    [Fact]
    public void Library_is_the_centos8_build_of_librdkafka_2_16()
    {
        Assert.EndsWith("centos8-librdkafka.so", MockCluster.LibraryPath, StringComparison.Ordinal);
        Assert.StartsWith("2.16.", MockCluster.LibrdkafkaVersion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ping", "OK pong")]
    [InlineData("create-topic t 3 2", "OK")]
    [InlineData("push-errors 3 NOT_COORDINATOR 16 _TRANSPORT RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE", "OK")]
    [InlineData("push-broker-error-rtts 2 10 0:100 NOT_COORDINATOR:5 -195:0", "OK")]
    [InlineData("apiversion 3 0 9", "OK")]
    [InlineData("rack 1 eu-1", "OK")]
    [InlineData("track start", "OK")]
    [InlineData("requests", "OK 0")]
    [InlineData("coordinator group g 2", "OK")]
    [InlineData("rebalance-delay 0", "OK")]
    [InlineData("controller 2", "OK")]
    public void Valid_commands_answer_OK(string command, string expected) =>
        Assert.Equal(expected, _interpreter.Execute(command));

    [Theory]
    [InlineData("", "ERR empty command")]
    [InlineData("nope", "ERR unknown command 'nope'")]
    [InlineData("create-topic", "ERR usage: create-topic NAME PARTITIONS [RF]")]
    [InlineData("create-topic t x", "ERR PARTITIONS must be an integer, not 'x'")]
    [InlineData("create-topic t 0", "ERR partitions")]
    [InlineData("broker-down 3", "ERR Broker ids run from 1 to 2.")]
    [InlineData("push-errors 3 NO_SUCH_ERROR", "ERR 'NO_SUCH_ERROR' is neither an error number nor a librdkafka error name")]
    [InlineData("push-broker-error-rtts 1 3 16", "ERR '16' is not ERR:RTT_MS")]
    [InlineData("coordinator consumer g 1", "ERR Coordinator key type must be 'group' or 'transaction'")]
    [InlineData("apiversion 3 5 2", "ERR Version range 5..2")]
    [InlineData("delete-topic missing", "ERR UNKNOWN_TOPIC_OR_PART: Broker: Unknown topic or partition")]
    [InlineData("track pause", "ERR track takes start, stop or clear")]
    public void Bad_commands_answer_one_ERR_line_naming_the_problem(string command, string expectedStart)
    {
        string reply = _interpreter.Execute(command);
        Assert.StartsWith(expectedStart, reply, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reply);
    }

    [Fact]
    public void Broker_error_stack_counts_pushed_errors()
    {
        Assert.Equal("OK", _interpreter.Execute("push-broker-error-rtts 1 0 NOT_LEADER_FOR_PARTITION:10 0:20"));
        Assert.Equal("OK 2", _interpreter.Execute("broker-errors 1 0"));
        Assert.Equal(2, _cluster.BrokerErrorStackCount(1, 0));
    }

    [Fact]
    public void Quit_sets_the_flag()
    {
        Assert.False(_interpreter.QuitRequested);
        Assert.Equal("OK bye", _interpreter.Execute("quit"));
        Assert.True(_interpreter.QuitRequested);
    }

    [Fact]
    public void Error_names_round_trip_through_librdkafka()
    {
        Assert.True(MockErrors.TryParse("NOT_COORDINATOR", out int code));
        Assert.Equal(16, code);
        Assert.True(MockErrors.TryParse("_transport", out code));
        Assert.Equal(-195, code);
        Assert.Equal("NOT_COORDINATOR", MockErrors.Name(16));
        Assert.False(MockErrors.TryParse("NOT_AN_ERROR", out _));
    }

    [Fact]
    public void Disposed_cluster_refuses_commands()
    {
        MockCluster own = MockCluster.Create(1);
        var interpreter = new MockCommandInterpreter(own);
        own.Dispose();
        own.Dispose(); // twice is fine

        Assert.StartsWith("ERR", interpreter.Execute("create-topic t 1"), StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => own.CreateTopic("t", 1));
    }

    [Fact]
    public void Default_version_caps_are_the_documented_ones()
    {
        Assert.Equal(
            [new(11, 0, 5), new(14, 0, 3), new(13, 0, 2), new(18, 0, 2), new(71, -1, -1), new(72, -1, -1)],
            MockCluster.DefaultVersionCaps);
    }
}

/// <summary>One in-process two-broker mock shared by the interpreter tests.</summary>
public sealed class InProcessMockFixture : IDisposable
{
    public MockCluster Cluster { get; } = MockCluster.Create(2);

    public void Dispose() => Cluster.Dispose();
}
