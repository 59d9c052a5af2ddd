namespace Samsa.Groups;

/// <summary>What group membership needs from the consumer's configuration, in the units it uses.</summary>
internal sealed record GroupSettings
{
    public required string GroupId { get; init; }

    /// <summary>group.instance.id (KIP-345): a static member; null for a dynamic one.</summary>
    public string? GroupInstanceId { get; init; }

    /// <summary>client.rack, sent as the subscription's RackId (v3) and the KIP-848 RackId.</summary>
    public string? RackId { get; init; }

    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>max.poll.interval.ms: also the rebalance timeout sent in JoinGroup and ConsumerGroupHeartbeat.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The classic protocol's assignors in order of preference (names as JoinGroup lists them).</summary>
    public IReadOnlyList<PartitionAssignmentStrategy> Assignors { get; init; } = [PartitionAssignmentStrategy.Range, PartitionAssignmentStrategy.RoundRobin];

    /// <summary>group.remote.assignor for KIP-848; null lets the broker choose.</summary>
    public string? RemoteAssignor { get; init; }

    /// <summary>read_committed: OffsetFetch asks for stable offsets (RequireStable, v7+).</summary>
    public bool RequireStableOffsets { get; init; }

    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool IsStatic => GroupInstanceId is not null;

    /// <summary>The settings of a validated consumer configuration; group.id is required.</summary>
    public static GroupSettings From(ConsumerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrEmpty(config.GroupId))
        {
            throw new ConfigException("group.id", config.GroupId, "group.id is required to join a consumer group.");
        }

        return new GroupSettings
        {
            GroupId = config.GroupId,
            GroupInstanceId = string.IsNullOrEmpty(config.GroupInstanceId) ? null : config.GroupInstanceId,
            RackId = string.IsNullOrEmpty(config.ClientRack) ? null : config.ClientRack,
            SessionTimeout = config.SessionTimeout,
            HeartbeatInterval = config.HeartbeatInterval,
            MaxPollInterval = config.MaxPollInterval,
            Assignors = config.PartitionAssignmentStrategies,
            RemoteAssignor = string.IsNullOrEmpty(config.GroupRemoteAssignor) ? null : config.GroupRemoteAssignor,
            RequireStableOffsets = config.IsolationLevel == IsolationLevel.ReadCommitted,
            RetryBackoff = config.RetryBackoff,
            RetryBackoffMax = config.RetryBackoffMax,
            RequestTimeout = config.RequestTimeout,
        };
    }
}
