using System.Text;
using Samsa.Compression;

namespace Samsa;

/// <summary>A producer's configuration: the common settings plus batching, delivery and idempotence.</summary>
public sealed partial record ProducerConfig : ClientConfig
{
    private static readonly ProducerConfig s_defaults = new();

    private bool? _enableIdempotence;

    /// <summary>Producer defaults, with allow.auto.create.topics=true.</summary>
    public ProducerConfig()
    {
        AllowAutoCreateTopics = true;
    }

    /// <inheritdoc/>
    public override ClientKind Kind => ClientKind.Producer;

    /// <summary>acks (alias request.required.acks): 0, 1 or all (-1). Default all.</summary>
    public Acks Acks { get; init; } = Acks.All;

    /// <summary>
    /// linger.ms (alias queue.buffering.max.ms): how long a batch waits for more records before it is sent.
    /// Default 5 ms; range 0..900000 ms; fractions of a millisecond are accepted, as by librdkafka.
    /// </summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>batch.size: the largest batch, in bytes including framing. Default 1000000; range 1..2147483647.</summary>
    public int BatchSize { get; init; } = 1_000_000;

    /// <summary>batch.num.messages: the most records in one batch. Default 10000; range 1..1000000.</summary>
    public int BatchNumMessages { get; init; } = 10_000;

    /// <summary>compression.type (alias compression.codec): none, gzip, snappy, lz4 or zstd. Default none.</summary>
    public CompressionType CompressionType { get; init; } = CompressionType.None;

    /// <summary>
    /// compression.level: the codec's level; -1 uses the codec's default. Default -1; range by codec: gzip 0..9,
    /// lz4 0..12, zstd 1..22, snappy 0 only.
    /// </summary>
    public int CompressionLevel { get; init; } = -1;

    /// <summary>
    /// enable.idempotence: exactly-once, in-order delivery per partition (requires acks=all, max.in.flight ≤ 5,
    /// retries ≥ 1). Default true (as the Java client; librdkafka's is false). When it was not set and another
    /// setting conflicts with it, <see cref="ClientConfig.Validate"/> turns it off with a warning; when it was set,
    /// the conflict is an error. A configuration that sets it to true therefore differs (in equality) from one
    /// that leaves the default.
    /// </summary>
    public bool EnableIdempotence
    {
        get => _enableIdempotence ?? true;
        init => _enableIdempotence = value;
    }

    /// <summary>
    /// max.in.flight.requests.per.connection (alias max.in.flight): requests sent to a broker before waiting for a
    /// response. Default 5; range 1..1000000; at most 5 with idempotence.
    /// </summary>
    public int MaxInFlight { get; init; } = 5;

    /// <summary>retries (alias message.send.max.retries): how often a failed batch is retried. Default 2147483647; range 0..2147483647.</summary>
    public int Retries { get; init; } = int.MaxValue;

    /// <summary>
    /// delivery.timeout.ms (alias message.timeout.ms): the time a record may take to be delivered, retries
    /// included; <see cref="TimeSpan.Zero"/> means no limit. Default 300000 ms; range 0..2147483647 ms; must exceed linger.ms.
    /// </summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>queue.buffering.max.messages: the most records waiting to be sent; 0 means no limit. Default 100000; range 0..2147483647.</summary>
    public int QueueBufferingMaxMessages { get; init; } = 100_000;

    /// <summary>queue.buffering.max.kbytes: the most record data waiting to be sent, in KiB. Default 1048576 (1 GiB); range 1..2147483647.</summary>
    public int QueueBufferingMaxKbytes { get; init; } = 1_048_576;

    /// <summary>message.max.bytes: the largest produce request. Default 1000000; range 1000..1000000000.</summary>
    public int MessageMaxBytes { get; init; } = 1_000_000;

    /// <summary>
    /// partitioner: murmur2_random, murmur2, consistent_random, consistent, random, fnv1a or fnv1a_random; Java's
    /// DefaultPartitioner (murmur2_random) and UniformStickyPartitioner (random) are accepted. Default murmur2_random (Java-compatible key placement; librdkafka defaults to consistent_random).
    /// </summary>
    public Partitioner Partitioner { get; init; } = Partitioner.Murmur2Random;

    /// <summary>sticky.partitioning.linger.ms: how long records without a key stick to one partition; zero disables stickiness. Default 10 ms; range 0..900000 ms.</summary>
    public TimeSpan StickyPartitioningLinger { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// topic.metadata.propagation.max.ms: how long records for a topic the cluster does not (yet) know wait for it
    /// to appear before they fail with UNKNOWN_TOPIC_OR_PARTITION. Default 30000 ms; range 0..3600000 ms.
    /// </summary>
    public TimeSpan TopicMetadataPropagationMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>transactional.id: accepted and kept, but transactions are not supported: <see cref="Validate"/> rejects it. Default none.</summary>
    public string? TransactionalId { get; init; }

    /// <summary>enable.gapless.guarantee: fail the producer rather than leave a gap after a failed batch; requires idempotence. Default false.</summary>
    public bool EnableGaplessGuarantee { get; init; }

    /// <summary>True when enable.idempotence was set rather than left at its default.</summary>
    internal bool EnableIdempotenceIsSet => _enableIdempotence.HasValue;

    private protected override ClientConfig Defaults => s_defaults;

    /// <summary>A producer configuration from name/value pairs applied in order onto the defaults.</summary>
    /// <exception cref="ConfigException">A property is unknown or a value is not acceptable.</exception>
    public static ProducerConfig FromProperties(IEnumerable<KeyValuePair<string, string>> properties) =>
        ApplyAll(new ProducerConfig(), properties);

    /// <inheritdoc/>
    public override ProducerConfig With(string name, string value) => Apply(this, name, value);

    /// <inheritdoc/>
    protected override bool PrintMembers(StringBuilder builder) => base.PrintMembers(builder);
}
