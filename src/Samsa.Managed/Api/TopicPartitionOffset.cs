namespace Samsa;

/// <summary>A position in a partition (and the leader epoch it was read at, when known).</summary>
public readonly record struct TopicPartitionOffset(string Topic, int Partition, Offset Offset, int LeaderEpoch = -1)
{
    public TopicPartitionOffset(TopicPartition topicPartition, Offset offset, int leaderEpoch = -1)
        : this(topicPartition.Topic, topicPartition.Partition, offset, leaderEpoch)
    {
    }

    public TopicPartition TopicPartition => new(Topic, Partition);

    public override string ToString() => $"{Topic} [{Partition}] @{Offset}";
}
