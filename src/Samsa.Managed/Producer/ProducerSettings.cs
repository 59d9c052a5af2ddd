using Samsa.Compression;

namespace Samsa.Producer;

/// <summary>The producer's settings as the engine uses them (built from a validated ProducerConfig).</summary>
internal sealed record ProducerSettings
{
    public short Acks { get; init; } = -1;

    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>batch.size: the largest batch, in bytes (header included).</summary>
    public int BatchSize { get; init; } = 1_000_000;

    public int BatchNumMessages { get; init; } = 10_000;

    public CompressionType Compression { get; init; } = CompressionType.None;

    public int CompressionLevel { get; init; } = -1;

    public bool Idempotence { get; init; } = true;

    public int MaxInFlight { get; init; } = 5;

    public int Retries { get; init; } = int.MaxValue;

    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>delivery.timeout.ms; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int QueueMaxMessages { get; init; } = 100_000;

    public long QueueMaxBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>message.max.bytes: the largest record batch and the largest Produce request.</summary>
    public int MessageMaxBytes { get; init; } = 1_000_000;

    public Partitioner Partitioner { get; init; } = Partitioner.Murmur2Random;

    public IPartitioner? CustomPartitioner { get; init; }

    /// <summary>sticky.partitioning.linger.ms: how long messages without a key stick to one partition.</summary>
    public TimeSpan StickyLinger { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long to wait for a topic to appear in metadata before failing its messages.</summary>
    public TimeSpan TopicMetadataPropagationMax { get; init; } = TimeSpan.FromSeconds(30);

    public long DeliveryTimeoutMs => DeliveryTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue / 4 : (long)DeliveryTimeout.TotalMilliseconds;
}
