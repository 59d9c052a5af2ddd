namespace Samsa;

/// <summary>Where a produced message landed.</summary>
public class DeliveryResult<TKey, TValue>
{
    private Message<TKey, TValue>? _message;

    public string Topic { get; init; } = string.Empty;

    public int Partition { get; init; }

    public Offset Offset { get; init; }

    public Timestamp Timestamp { get; init; }

    public PersistenceStatus Status { get; init; }

    /// <remarks>The empty default is made on first read: an initializer would allocate one per report, then discard it.</remarks>
    public Message<TKey, TValue> Message
    {
        get => _message ??= new();
        init => _message = value;
    }

    public TKey Key => Message.Key;

    public TValue Value => Message.Value;

    public Headers? Headers => Message.Headers;

    public TopicPartition TopicPartition => new(Topic, Partition);

    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset);
}

/// <summary>A delivery result with the error, if any, as a delivery callback receives it.</summary>
public sealed class DeliveryReport<TKey, TValue> : DeliveryResult<TKey, TValue>
{
    /// <summary><see cref="ErrorCode.None"/> when delivered.</summary>
    public ErrorCode Error { get; init; }

    /// <summary>A description of the error, or null.</summary>
    public string? ErrorMessage { get; init; }

    public bool IsError => Error != ErrorCode.None;
}
