using Samsa.Compression;

namespace Samsa.Tests.Configuration;

public sealed class ValueParsingTests
{
    private static ConfigException Rejects(ClientConfig config, string name, string value)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => config.With(name, value));
        Assert.Equal(name, e.Property);
        Assert.Equal(value, e.Value);
        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.LocalInvalidArg, e.Error);
        return e;
    }

    [Theory]
    [InlineData("batch.size", "abc", "an integer in 1..2147483647")]
    [InlineData("batch.size", "0", "an integer in 1..2147483647")]
    [InlineData("batch.size", "2147483648", "an integer in 1..2147483647")]
    [InlineData("batch.size", "1.5", "an integer in 1..2147483647")]
    [InlineData("batch.size", "", "an integer in 1..2147483647")]
    [InlineData("linger.ms", "900001", "0..900000")]
    [InlineData("linger.ms", "-1", "0..900000")]
    [InlineData("linger.ms", "1,5", "0..900000")]
    [InlineData("linger.ms", "NaN", "0..900000")]
    [InlineData("delivery.timeout.ms", "-5", "0..2147483647")]
    [InlineData("message.max.bytes", "999", "1000..1000000000")]
    [InlineData("compression.level", "23", "-1..22")]
    [InlineData("log_level", "8", "0..7")]
    [InlineData("max.in.flight", "0", "1..1000000")]
    public void BadNumbers(string name, string value, string allowed)
    {
        ConfigException e = Rejects(new ProducerConfig(), name, value);
        Assert.Contains(allowed, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("session.timeout.ms", "0")]
    [InlineData("heartbeat.interval.ms", "3600001")]
    [InlineData("fetch.min.bytes", "0")]
    [InlineData("queued.max.messages.kbytes", "2097152")]
    public void BadConsumerNumbers(string name, string value) => Rejects(new ConsumerConfig(), name, value);

    [Theory]
    [InlineData("yes")]
    [InlineData("2")]
    [InlineData("")]
    [InlineData("enabled")]
    public void BadBooleans(string value)
    {
        ConfigException e = Rejects(new ProducerConfig(), "enable.idempotence", value);
        Assert.Contains("true or false", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    public void Booleans(string value, bool expected) =>
        Assert.Equal(expected, new ConsumerConfig().With("check.crcs", value).CheckCrcs);

    [Theory]
    [InlineData("acks", "2", "all, -1, 1, 0")]
    [InlineData("acks", "leader", "all, -1, 1, 0")]
    [InlineData("compression.type", "brotli", "none, gzip, snappy, lz4, zstd")]
    [InlineData("partitioner", "crc32", "murmur2_random")]
    [InlineData("security.protocol", "tls", "sasl_ssl")]
    [InlineData("ssl.endpoint.identification.algorithm", "http", "https, none")]
    public void BadEnums(string name, string value, string listed)
    {
        ConfigException e = Rejects(new ProducerConfig(), name, value);
        Assert.Contains(listed, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", Acks.None)]
    [InlineData("1", Acks.Leader)]
    [InlineData("-1", Acks.All)]
    [InlineData("all", Acks.All)]
    [InlineData("ALL", Acks.All)]
    public void AcksForms(string value, Acks expected) =>
        Assert.Equal(expected, new ProducerConfig().With("acks", value).Acks);

    [Theory]
    [InlineData("none", CompressionType.None)]
    [InlineData("GZIP", CompressionType.Gzip)]
    [InlineData("Snappy", CompressionType.Snappy)]
    [InlineData("lz4", CompressionType.Lz4)]
    [InlineData("zstd", CompressionType.Zstd)]
    public void CompressionTypes(string value, CompressionType expected) =>
        Assert.Equal(expected, new ProducerConfig().With("compression.codec", value).CompressionType);

    [Theory]
    [InlineData("smallest", AutoOffsetReset.Earliest)]
    [InlineData("earliest", AutoOffsetReset.Earliest)]
    [InlineData("beginning", AutoOffsetReset.Earliest)]
    [InlineData("largest", AutoOffsetReset.Latest)]
    [InlineData("latest", AutoOffsetReset.Latest)]
    [InlineData("end", AutoOffsetReset.Latest)]
    [InlineData("error", AutoOffsetReset.Error)]
    [InlineData("none", AutoOffsetReset.Error)]
    public void AutoOffsetResetSpellings(string value, AutoOffsetReset expected) =>
        Assert.Equal(expected, new ConsumerConfig().With("auto.offset.reset", value).AutoOffsetReset);

    [Theory]
    [InlineData("murmur2_random", Partitioner.Murmur2Random)]
    [InlineData("murmur2", Partitioner.Murmur2)]
    [InlineData("consistent_random", Partitioner.ConsistentRandom)]
    [InlineData("consistent", Partitioner.Consistent)]
    [InlineData("random", Partitioner.Random)]
    [InlineData("fnv1a", Partitioner.Fnv1a)]
    [InlineData("fnv1a_random", Partitioner.Fnv1aRandom)]
    [InlineData("org.apache.kafka.clients.producer.internals.DefaultPartitioner", Partitioner.Murmur2Random)]
    [InlineData("org.apache.kafka.clients.producer.UniformStickyPartitioner", Partitioner.Random)]
    public void Partitioners(string value, Partitioner expected) =>
        Assert.Equal(expected, new ProducerConfig().With("partitioner", value).Partitioner);

    [Fact]
    public void RoundRobinPartitionerIsRefusedWithAReason()
    {
        ConfigException e = Rejects(new ProducerConfig(), "partitioner", "org.apache.kafka.clients.producer.RoundRobinPartitioner");
        Assert.Contains("not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GssapiIsRefusedWithAReason()
    {
        ConfigException e = Rejects(new ProducerConfig(), "sasl.mechanisms", "GSSAPI");
        Assert.Contains("Kerberos", e.Message, StringComparison.Ordinal);
        Assert.Contains("alias of 'sasl.mechanism'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("range", new[] { PartitionAssignmentStrategy.Range })]
    [InlineData("roundrobin, range", new[] { PartitionAssignmentStrategy.RoundRobin, PartitionAssignmentStrategy.Range })]
    [InlineData("cooperative-sticky", new[] { PartitionAssignmentStrategy.CooperativeSticky })]
    [InlineData(
        "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.RoundRobinAssignor",
        new[] { PartitionAssignmentStrategy.Range, PartitionAssignmentStrategy.RoundRobin })]
    [InlineData("org.apache.kafka.clients.consumer.CooperativeStickyAssignor", new[] { PartitionAssignmentStrategy.CooperativeSticky })]
    public void AssignorLists(string value, PartitionAssignmentStrategy[] expected)
    {
        ConsumerConfig c = new ConsumerConfig().With("partition.assignment.strategy", value);
        Assert.Equal(expected, c.PartitionAssignmentStrategies);
    }

    [Theory]
    [InlineData("", "at least one assignor")]
    [InlineData("range,range", "listed twice")]
    [InlineData("range,banana", "'banana' is not an assignor")]
    [InlineData("sticky", "cooperative-sticky")]
    [InlineData("org.apache.kafka.clients.consumer.StickyAssignor", "not supported")]
    public void BadAssignorLists(string value, string reason)
    {
        ConfigException e = Rejects(new ConsumerConfig(), "partition.assignment.strategy", value);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LingerTakesFractionsOfAMillisecondAsLibrdkafka()
    {
        ProducerConfig p = new ProducerConfig().With("linger.ms", "0.5");
        Assert.Equal(TimeSpan.FromMicroseconds(500), p.Linger);
        Assert.Equal("0.5", p.ToProperties()["linger.ms"]);
    }

    [Fact]
    public void NumbersUseTheInvariantCulture()
    {
        // Whitespace around a number is tolerated; group separators and exponent forms are not.
        Assert.Equal(16384, new ProducerConfig().With("batch.size", " 16384 ").BatchSize);
        Rejects(new ProducerConfig(), "batch.size", "16,384");
        Rejects(new ProducerConfig(), "batch.size", "1e4");
    }

    [Theory]
    [InlineData("bootstrap.servers", "host:notaport", "bad port")]
    [InlineData("bootstrap.servers", "[::1:9092", "missing ']'")]
    [InlineData("debug", "broker,nonsense", "'nonsense' is not a debug context")]
    public void CheckedText(string name, string value, string reason)
    {
        ConfigException e = Rejects(new ProducerConfig(), name, value);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTextUnsetsOptionalProperties()
    {
        ProducerConfig p = new ProducerConfig().With("client.rack", "r1").With("client.rack", "");
        Assert.Null(p.ClientRack);
        ProducerConfig m = new ProducerConfig().With("sasl.mechanism", "PLAIN").With("sasl.mechanism", "");
        Assert.Null(m.SaslMechanism);
        Assert.Equal(string.Empty, new ProducerConfig().With("client.id", "").ClientId);
    }

    [Fact]
    public void NullsAreArgumentErrors()
    {
        Assert.Throws<ArgumentNullException>(() => new ProducerConfig().With(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => new ProducerConfig().With("client.id", null!));
        Assert.Throws<ArgumentNullException>(() => ProducerConfig.FromProperties(null!));
    }
}
