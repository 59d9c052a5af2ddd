namespace Samsa;

/// <summary>
/// A topic to create. Give either a partition count and replication factor (-1 for the broker's defaults,
/// which needs brokers of Kafka 2.4+), or an explicit <see cref="ReplicaAssignment"/> (then leave both at -1).
/// </summary>
public sealed record NewTopic(string Name, int NumPartitions = -1, short ReplicationFactor = -1)
{
    /// <summary>Replicas per partition: partition id to broker ids (the first is the preferred leader). Null to let the broker place them.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>>? ReplicaAssignment { get; init; }

    /// <summary>Topic configuration entries (e.g. cleanup.policy=compact). Null or empty for the broker's defaults.</summary>
    public IReadOnlyDictionary<string, string>? Configs { get; init; }
}

/// <summary>The outcome of creating one topic.</summary>
public sealed record CreateTopicResult(string Topic, ErrorCode Error, string? ErrorMessage) : IAdminResult
{
    /// <summary>The new topic's id (CreateTopics v7+), else empty.</summary>
    public Guid TopicId { get; init; }

    /// <summary>The partition count the broker chose (CreateTopics v5+), else -1.</summary>
    public int NumPartitions { get; init; } = -1;

    /// <summary>The replication factor the broker chose (CreateTopics v5+), else -1.</summary>
    public short ReplicationFactor { get; init; } = -1;

    public string Subject => $"topic '{Topic}'";
}

/// <summary>The outcome of deleting one topic.</summary>
public sealed record DeleteTopicResult(string Topic, ErrorCode Error, string? ErrorMessage) : IAdminResult
{
    /// <summary>The deleted topic's id (DeleteTopics v6+), else empty.</summary>
    public Guid TopicId { get; init; }

    public string Subject => $"topic '{Topic}'";
}

/// <summary>
/// Grow a topic to <see cref="TotalCount"/> partitions. <see cref="Assignments"/>, when given, lists the replicas
/// (broker ids) of each new partition, in order: one list per partition added.
/// </summary>
public sealed record PartitionsIncrease(string Topic, int TotalCount)
{
    public IReadOnlyList<IReadOnlyList<int>>? Assignments { get; init; }
}

/// <summary>The outcome of adding partitions to one topic.</summary>
public sealed record CreatePartitionsResult(string Topic, ErrorCode Error, string? ErrorMessage) : IAdminResult
{
    public string Subject => $"topic '{Topic}'";
}
