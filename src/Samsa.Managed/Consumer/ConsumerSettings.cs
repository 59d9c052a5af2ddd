namespace Samsa.Consumer;

/// <summary>What the consumer engine needs from <see cref="ConsumerConfig"/>, in the units it works in.</summary>
internal sealed record ConsumerSettings
{
    /// <summary>group.id: needed to subscribe and to commit or look up offsets.</summary>
    public string? GroupId { get; init; }

    /// <summary>group.instance.id: sent with simple (assign-only) commits too, as librdkafka does.</summary>
    public string? GroupInstanceId { get; init; }

    public bool EnableAutoCommit { get; init; } = true;

    /// <summary>auto.commit.interval.ms; zero disables the periodic commit (commits on revoke and close stay).</summary>
    public TimeSpan AutoCommitInterval { get; init; } = TimeSpan.FromSeconds(5);

    public bool EnableAutoOffsetStore { get; init; } = true;

    public AutoOffsetReset AutoOffsetReset { get; init; } = AutoOffsetReset.Latest;

    public IsolationLevel IsolationLevel { get; init; } = IsolationLevel.ReadCommitted;

    public int FetchMinBytes { get; init; } = 1;

    public int FetchMaxBytes { get; init; } = 52_428_800;

    public int MaxPartitionFetchBytes { get; init; } = 1_048_576;

    public TimeSpan FetchWaitMax { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>queued.max.messages.kbytes in bytes: the bound on all fetched data held at once.</summary>
    public long QueueMaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>queued.min.messages: a partition is not fetched while this many of its records wait for the application.</summary>
    public int QueuedMinMessages { get; init; } = 100_000;

    public bool EnablePartitionEof { get; init; }

    public bool CheckCrcs { get; init; }

    /// <summary>client.rack, sent as the Fetch RackId (KIP-392) so the broker may name a closer replica.</summary>
    public string? ClientRack { get; init; }

    /// <summary>retry.backoff.ms: the pause before a partition is fetched again after an error.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>retry.backoff.max.ms: the longest such pause after repeated errors.</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>request.timeout.ms: added to fetch.wait.max.ms for a Fetch, used as is for other requests.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>metadata.max.age.ms: how long a preferred read replica is used before asking the leader again.</summary>
    public TimeSpan PreferredReplicaMaxAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long Close waits for the final commit and leaving the group.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Kafka's isolation level byte for Fetch and ListOffsets.</summary>
    public sbyte IsolationByte => IsolationLevel == IsolationLevel.ReadCommitted ? (sbyte)1 : (sbyte)0;
}
