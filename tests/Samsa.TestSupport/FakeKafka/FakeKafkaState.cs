namespace Samsa.TestSupport;

/// <summary>A partition of a <see cref="FakeKafka"/> topic: leader, replicas and a log (offsets with timestamps).</summary>
public sealed class FakePartition
{
    public int Index { get; init; }

    public int Leader { get; set; }

    public int LeaderEpoch { get; set; }

    public List<int> Replicas { get; set; } = [];

    public long LogStartOffset { get; set; }

    /// <summary>The timestamp of each record, by offset (so the high watermark is the count).</summary>
    public List<long> Timestamps { get; } = [];

    public long HighWatermark => Timestamps.Count;

    /// <summary>Appends records with these timestamps.</summary>
    public void Append(params long[] timestamps) => Timestamps.AddRange(timestamps);
}

/// <summary>A topic of a <see cref="FakeKafka"/>.</summary>
public sealed class FakeTopic
{
    public required string Name { get; init; }

    public Guid Id { get; init; } = Guid.NewGuid();

    public List<FakePartition> Partitions { get; } = [];

    /// <summary>Configuration entries set on the topic (the rest are defaults).</summary>
    public Dictionary<string, string> Configs { get; } = new(StringComparer.Ordinal);

    public short ReplicationFactor => (short)(Partitions.Count == 0 ? 0 : Partitions[0].Replicas.Count);
}

/// <summary>A member of a <see cref="FakeKafka"/> group.</summary>
public sealed record FakeMember(string MemberId, string ClientId, string ClientHost, byte[] Assignment, string? GroupInstanceId = null);

/// <summary>A group of a <see cref="FakeKafka"/>: its state, members and committed offsets.</summary>
public sealed class FakeGroup
{
    public required string Id { get; init; }

    public string State { get; set; } = "Empty";

    public string ProtocolType { get; set; } = "consumer";

    public string Protocol { get; set; } = "";

    public string Type { get; set; } = "classic";

    public List<FakeMember> Members { get; } = [];

    /// <summary>Topics the members subscribe to (OffsetDelete refuses their partitions).</summary>
    public HashSet<string> SubscribedTopics { get; } = new(StringComparer.Ordinal);

    public Dictionary<TopicPartition, (long Offset, int LeaderEpoch, string? Metadata)> Offsets { get; } = [];
}
