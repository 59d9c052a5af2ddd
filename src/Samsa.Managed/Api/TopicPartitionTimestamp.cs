namespace Samsa;

/// <summary>A partition and a timestamp, to ask for the first offset whose record timestamp is at or after it.</summary>
public readonly record struct TopicPartitionTimestamp(string Topic, int Partition, Timestamp Timestamp)
{
    public TopicPartitionTimestamp(TopicPartition topicPartition, Timestamp timestamp)
        : this(topicPartition.Topic, topicPartition.Partition, timestamp)
    {
    }

    public TopicPartition TopicPartition => new(Topic, Partition);

    public override string ToString() => $"{Topic} [{Partition}] @{Timestamp.UnixTimestampMs}";
}
