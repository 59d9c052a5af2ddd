using Samsa.Compression;

namespace Samsa;

/// <summary>The accepted spellings of each enum property: librdkafka's first (written back), then aliases and Java names.</summary>
internal static class ConfigEnumNames
{
    private const string JavaConsumer = "org.apache.kafka.clients.consumer.";
    private const string JavaProducer = "org.apache.kafka.clients.producer.";

    public static readonly EnumValue<Acks> Acks = new(
    [
        ("all", Samsa.Acks.All), ("-1", Samsa.Acks.All), ("1", Samsa.Acks.Leader), ("0", Samsa.Acks.None),
    ]);

    public static readonly EnumValue<SecurityProtocol> SecurityProtocol = new(
    [
        ("plaintext", Samsa.SecurityProtocol.Plaintext),
        ("ssl", Samsa.SecurityProtocol.Ssl),
        ("sasl_plaintext", Samsa.SecurityProtocol.SaslPlaintext),
        ("sasl_ssl", Samsa.SecurityProtocol.SaslSsl),
    ]);

    public static readonly EnumValue<SaslMechanism> SaslMechanism = new(
        [
            ("PLAIN", Samsa.SaslMechanism.Plain),
            ("SCRAM-SHA-256", Samsa.SaslMechanism.ScramSha256),
            ("SCRAM-SHA-512", Samsa.SaslMechanism.ScramSha512),
            ("OAUTHBEARER", Samsa.SaslMechanism.OAuthBearer),
        ],
        ("GSSAPI", "GSSAPI (Kerberos) is not supported by Samsa"));

    public static readonly EnumValue<SslEndpointIdentification> SslEndpointIdentification = new(
    [
        ("https", Samsa.SslEndpointIdentification.Https), ("none", Samsa.SslEndpointIdentification.None),
    ]);

    public static readonly EnumValue<CompressionType> CompressionType = new(
    [
        ("none", Compression.CompressionType.None),
        ("gzip", Compression.CompressionType.Gzip),
        ("snappy", Compression.CompressionType.Snappy),
        ("lz4", Compression.CompressionType.Lz4),
        ("zstd", Compression.CompressionType.Zstd),
    ]);

    public static readonly EnumValue<Partitioner> Partitioner = new(
        [
            ("consistent_random", Samsa.Partitioner.ConsistentRandom),
            ("murmur2_random", Samsa.Partitioner.Murmur2Random),
            ("murmur2", Samsa.Partitioner.Murmur2),
            ("consistent", Samsa.Partitioner.Consistent),
            ("random", Samsa.Partitioner.Random),
            ("fnv1a", Samsa.Partitioner.Fnv1a),
            ("fnv1a_random", Samsa.Partitioner.Fnv1aRandom),
            (JavaProducer + "internals.DefaultPartitioner", Samsa.Partitioner.Murmur2Random),
            (JavaProducer + "UniformStickyPartitioner", Samsa.Partitioner.Random),
        ],
        (JavaProducer + "RoundRobinPartitioner",
            "round-robin partitioning is not supported; 'random' also ignores keys and spreads records (sticky per batch)"));

    public static readonly EnumValue<AutoOffsetReset> AutoOffsetReset = new(
    [
        ("latest", Samsa.AutoOffsetReset.Latest), ("largest", Samsa.AutoOffsetReset.Latest), ("end", Samsa.AutoOffsetReset.Latest),
        ("earliest", Samsa.AutoOffsetReset.Earliest), ("smallest", Samsa.AutoOffsetReset.Earliest),
        ("beginning", Samsa.AutoOffsetReset.Earliest),
        ("error", Samsa.AutoOffsetReset.Error), ("none", Samsa.AutoOffsetReset.Error),
    ]);

    public static readonly EnumValue<IsolationLevel> IsolationLevel = new(
    [
        ("read_committed", Samsa.IsolationLevel.ReadCommitted), ("read_uncommitted", Samsa.IsolationLevel.ReadUncommitted),
    ]);

    public static readonly EnumValue<GroupProtocol> GroupProtocol = new(
    [
        ("classic", Samsa.GroupProtocol.Classic), ("consumer", Samsa.GroupProtocol.Consumer),
    ]);

    public static readonly EnumValue<PartitionAssignmentStrategy> Assignor = new(
        [
            ("range", PartitionAssignmentStrategy.Range),
            ("roundrobin", PartitionAssignmentStrategy.RoundRobin),
            ("cooperative-sticky", PartitionAssignmentStrategy.CooperativeSticky),
            (JavaConsumer + "RangeAssignor", PartitionAssignmentStrategy.Range),
            (JavaConsumer + "RoundRobinAssignor", PartitionAssignmentStrategy.RoundRobin),
            (JavaConsumer + "CooperativeStickyAssignor", PartitionAssignmentStrategy.CooperativeSticky),
        ],
        (JavaConsumer + "StickyAssignor", "the eager sticky assignor is not supported; use cooperative-sticky"),
        ("sticky", "the eager sticky assignor is not supported; use cooperative-sticky"));

    /// <summary>librdkafka's debug contexts; "all" enables every one.</summary>
    public static readonly string[] DebugContexts =
    [
        "generic", "broker", "topic", "metadata", "feature", "queue", "msg", "protocol", "cgrp", "security", "fetch",
        "interceptor", "plugin", "consumer", "admin", "eos", "mock", "assignor", "conf", "telemetry", "all",
    ];
}
