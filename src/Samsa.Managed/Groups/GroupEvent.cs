namespace Samsa.Groups;

/// <summary>What happened to a member's assignment.</summary>
internal enum GroupEventKind
{
    /// <summary>These partitions were added to the assignment (eager: the whole new assignment).</summary>
    Assigned,

    /// <summary>These partitions are being taken away; commit what was consumed from them before acknowledging.</summary>
    Revoked,

    /// <summary>These partitions were lost without a chance to commit (session expired, fenced): do not commit.</summary>
    Lost,

    /// <summary>A group-level error the consumer should surface (for example, an unrecoverable FENCED_INSTANCE_ID).</summary>
    Error,
}

/// <summary>One change of assignment, to be applied on the consumer's poll thread and then acknowledged.</summary>
internal sealed record GroupEvent(GroupEventKind Kind, IReadOnlyList<TopicPartition> Partitions, KafkaException? Error = null)
{
    /// <summary>The generation or member epoch the event belongs to.</summary>
    public int Generation { get; init; } = -1;
}
