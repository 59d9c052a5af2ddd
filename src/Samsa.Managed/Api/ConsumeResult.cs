namespace Samsa;

/// <summary>A consumed message, deserialized, with where it came from; or an end-of-partition event.</summary>
public sealed class ConsumeResult<TKey, TValue>
{
    private Message<TKey, TValue>? _message;

    public string Topic { get; init; } = string.Empty;

    public int Partition { get; init; }

    public Offset Offset { get; init; }

    /// <summary>The leader epoch the record was written in (-1 when unknown).</summary>
    public int LeaderEpoch { get; init; } = -1;

    /// <summary>The message (key, value, headers, timestamp); an empty message for an end-of-partition event.</summary>
    /// <remarks>The empty message is made on first read: an initializer would allocate one per result, then discard it.</remarks>
    public Message<TKey, TValue> Message
    {
        get => _message ??= new();
        init => _message = value;
    }

    /// <summary>True when the consumer reached the end of the partition (enable.partition.eof); <see cref="Message"/> is empty.</summary>
    public bool IsPartitionEOF { get; init; }

    public TopicPartition TopicPartition => new(Topic, Partition);

    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset, LeaderEpoch);

    public override string ToString() => IsPartitionEOF ? $"{Topic} [{Partition}] EOF @{Offset}" : $"{Topic} [{Partition}] @{Offset}";
}
