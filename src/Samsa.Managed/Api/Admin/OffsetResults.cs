namespace Samsa;

/// <summary>
/// Which offset <see cref="AdminClient.ListOffsetsAsync"/> looks up: the earliest, the latest (the high watermark,
/// or the last stable offset under read_committed), the record with the largest timestamp (Kafka 3.0+), or the
/// first offset whose timestamp is at or after a time.
/// </summary>
public readonly record struct OffsetSpec(long Value)
{
    public static OffsetSpec Earliest => new(-2);

    public static OffsetSpec Latest => new(-1);

    /// <summary>The offset of the record with the largest timestamp (ListOffsets v7+).</summary>
    public static OffsetSpec MaxTimestamp => new(-3);

    /// <summary>The first offset whose timestamp is at or after <paramref name="unixTimestampMs"/>.</summary>
    public static OffsetSpec ForTimestamp(long unixTimestampMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixTimestampMs);
        return new(unixTimestampMs);
    }

    public static OffsetSpec ForTimestamp(DateTimeOffset time) => ForTimestamp(time.ToUnixTimeMilliseconds());

    public override string ToString() => Value switch
    {
        -2 => "earliest",
        -1 => "latest",
        -3 => "max-timestamp",
        _ => "timestamp " + Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A partition and the offset to look up in it.</summary>
public readonly record struct TopicPartitionOffsetSpec(TopicPartition TopicPartition, OffsetSpec Spec);

/// <summary>
/// The outcome of an offset lookup: <see cref="Offset"/> (-1 when no record matches a timestamp) and the
/// record's timestamp (-1 unless looked up by timestamp).
/// </summary>
public sealed record ListOffsetsResult(TopicPartition TopicPartition, ErrorCode Error, string? ErrorMessage = null) : IAdminResult
{
    public Offset Offset { get; init; } = Offset.Unset;

    public long Timestamp { get; init; } = -1;

    public int LeaderEpoch { get; init; } = -1;

    public string Subject => TopicPartition.ToString();
}

/// <summary>The outcome of deleting the records of one partition: its new log start offset.</summary>
public sealed record DeleteRecordsResult(TopicPartition TopicPartition, ErrorCode Error, string? ErrorMessage = null) : IAdminResult
{
    public Offset LowWatermark { get; init; } = Offset.Unset;

    public string Subject => TopicPartition.ToString();
}

/// <summary>
/// A group's committed offset for one partition. <see cref="Offset"/> is <see cref="Offset.Unset"/> when the
/// group has no committed offset there.
/// </summary>
public sealed record GroupOffsetResult(TopicPartition TopicPartition, ErrorCode Error, string? ErrorMessage = null) : IAdminResult
{
    public Offset Offset { get; init; } = Offset.Unset;

    public int LeaderEpoch { get; init; } = -1;

    public string? Metadata { get; init; }

    public string Subject => TopicPartition.ToString();
}

/// <summary>The outcome of an operation on one partition (group offset alteration or deletion).</summary>
public sealed record PartitionResult(TopicPartition TopicPartition, ErrorCode Error, string? ErrorMessage = null) : IAdminResult
{
    public string Subject => TopicPartition.ToString();
}
