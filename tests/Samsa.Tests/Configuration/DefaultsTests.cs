using Samsa.Compression;

namespace Samsa.Tests.Configuration;

public sealed class DefaultsTests
{
    [Fact]
    public void CommonDefaults()
    {
        var c = new AdminConfig();
        Assert.Null(c.BootstrapServers);
        Assert.Equal("samsa", c.ClientId);
        Assert.Null(c.ClientRack);
        Assert.Equal(TimeSpan.FromMilliseconds(30000), c.RequestTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(300000), c.MetadataMaxAge);
        Assert.Equal(TimeSpan.FromMilliseconds(100), c.RetryBackoff);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), c.RetryBackoffMax);
        Assert.Equal(TimeSpan.FromMilliseconds(100), c.ReconnectBackoff);
        Assert.Equal(TimeSpan.FromMilliseconds(10000), c.ReconnectBackoffMax);
        Assert.Equal(TimeSpan.FromMilliseconds(30000), c.SocketConnectionSetupTimeout);
        Assert.Equal(0, c.SocketSendBufferBytes);
        Assert.Equal(0, c.SocketReceiveBufferBytes);
        Assert.Equal(100_000_000, c.ReceiveMessageMaxBytes);
        Assert.False(c.AllowAutoCreateTopics);
        Assert.Equal(SecurityProtocol.Plaintext, c.SecurityProtocol);
        Assert.Equal(SslEndpointIdentification.Https, c.SslEndpointIdentificationAlgorithm);
        Assert.True(c.EnableSslCertificateVerification);
        Assert.Null(c.SaslMechanism);
        Assert.Null(c.SaslPassword);
        Assert.Null(c.Debug);
        Assert.Equal(6, c.LogLevel);
        Assert.Equal(TimeSpan.Zero, c.StatisticsInterval);
        Assert.Empty(c.Warnings);
        Assert.Equal(ClientKind.Admin, c.Kind);
    }

    [Fact]
    public void ProducerDefaults()
    {
        var p = new ProducerConfig();
        Assert.Equal(ClientKind.Producer, p.Kind);
        Assert.True(p.AllowAutoCreateTopics);
        Assert.Equal(Acks.All, p.Acks);
        Assert.Equal(TimeSpan.FromMilliseconds(5), p.Linger);
        Assert.Equal(1_000_000, p.BatchSize);
        Assert.Equal(10_000, p.BatchNumMessages);
        Assert.Equal(CompressionType.None, p.CompressionType);
        Assert.Equal(-1, p.CompressionLevel);
        Assert.True(p.EnableIdempotence);
        Assert.Equal(5, p.MaxInFlight);
        Assert.Equal(int.MaxValue, p.Retries);
        Assert.Equal(TimeSpan.FromMilliseconds(300000), p.DeliveryTimeout);
        Assert.Equal(100_000, p.QueueBufferingMaxMessages);
        Assert.Equal(1_048_576, p.QueueBufferingMaxKbytes);
        Assert.Equal(1_000_000, p.MessageMaxBytes);
        Assert.Equal(Partitioner.Murmur2Random, p.Partitioner);
        Assert.Equal(TimeSpan.FromMilliseconds(10), p.StickyPartitioningLinger);
        Assert.Null(p.TransactionalId);
        Assert.False(p.EnableGaplessGuarantee);
    }

    [Fact]
    public void ConsumerDefaults()
    {
        var c = new ConsumerConfig();
        Assert.Equal(ClientKind.Consumer, c.Kind);
        Assert.False(c.AllowAutoCreateTopics);
        Assert.Null(c.GroupId);
        Assert.Null(c.GroupInstanceId);
        Assert.Equal(GroupProtocol.Classic, c.GroupProtocol);
        Assert.Null(c.GroupRemoteAssignor);
        Assert.Equal([PartitionAssignmentStrategy.Range, PartitionAssignmentStrategy.RoundRobin], c.PartitionAssignmentStrategies);
        Assert.Equal(TimeSpan.FromMilliseconds(45000), c.SessionTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), c.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(300000), c.MaxPollInterval);
        Assert.True(c.EnableAutoCommit);
        Assert.Equal(TimeSpan.FromMilliseconds(5000), c.AutoCommitInterval);
        Assert.True(c.EnableAutoOffsetStore);
        Assert.Equal(AutoOffsetReset.Latest, c.AutoOffsetReset);
        Assert.Equal(IsolationLevel.ReadCommitted, c.IsolationLevel);
        Assert.Equal(1, c.FetchMinBytes);
        Assert.Equal(52_428_800, c.FetchMaxBytes);
        Assert.Equal(1_048_576, c.MaxPartitionFetchBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), c.FetchWaitMax);
        Assert.Equal(65_536, c.QueuedMaxMessagesKbytes);
        Assert.Equal(100_000, c.QueuedMinMessages);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), c.FetchQueueBackoff);
        Assert.False(c.EnablePartitionEof);
        Assert.False(c.CheckCrcs);
        Assert.Equal(500, c.MaxPollRecords);
    }

    [Fact]
    public void DefaultStringForms()
    {
        IReadOnlyDictionary<string, string> p = new ProducerConfig().ToProperties();
        Assert.Equal("all", p["acks"]);
        Assert.Equal("5", p["linger.ms"]);
        Assert.Equal("none", p["compression.type"]);
        Assert.Equal("true", p["enable.idempotence"]);
        Assert.Equal("murmur2_random", p["partitioner"]);
        Assert.Equal("samsa", p["client.id"]);
        Assert.Equal("plaintext", p["security.protocol"]);
        Assert.Equal("https", p["ssl.endpoint.identification.algorithm"]);
        Assert.Equal("true", p["allow.auto.create.topics"]);
        Assert.False(p.ContainsKey("bootstrap.servers")); // not set
        Assert.False(p.ContainsKey("group.id")); // another client's property

        IReadOnlyDictionary<string, string> c = new ConsumerConfig().ToProperties();
        Assert.Equal("range,roundrobin", c["partition.assignment.strategy"]);
        Assert.Equal("latest", c["auto.offset.reset"]);
        Assert.Equal("read_committed", c["isolation.level"]);
        Assert.Equal("classic", c["group.protocol"]);
        Assert.Equal("false", c["allow.auto.create.topics"]);
        Assert.False(c.ContainsKey("acks"));
    }

    [Fact]
    public void DefaultConfigsAreEqualAndPrintOnlyTheirType()
    {
        Assert.Equal(new ConsumerConfig(), new ConsumerConfig());
        Assert.Equal(new ProducerConfig(), new ProducerConfig());
        Assert.Equal("ProducerConfig { }", new ProducerConfig().ToString());
        Assert.Equal("ConsumerConfig { }", new ConsumerConfig().ToString());
        Assert.Equal("AdminConfig { }", new AdminConfig().ToString());
    }
}
