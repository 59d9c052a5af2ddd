namespace Samsa;

/// <summary>
/// The outcome of one produced message, as a struct, for <see cref="IDeliveryHandler"/>: no allocation per
/// message. Valid only during the callback.
/// </summary>
public readonly struct DeliveryEvent
{
    internal DeliveryEvent(string topic, int partition, long offset, long timestamp, TimestampType timestampType,
        ErrorCode error, string? errorMessage, PersistenceStatus status)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        Timestamp = timestamp;
        TimestampType = timestampType;
        Error = error;
        ErrorMessage = errorMessage;
        Status = status;
    }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>The offset, or -1 when unknown (acks=0, or failed).</summary>
    public long Offset { get; }

    public long Timestamp { get; }

    public TimestampType TimestampType { get; }

    public ErrorCode Error { get; }

    public string? ErrorMessage { get; }

    public PersistenceStatus Status { get; }

    public bool IsError => Error != ErrorCode.None;
}

/// <summary>
/// Receives delivery outcomes without allocating per message: the fastest way to learn about deliveries.
/// Called on the producer's delivery thread, in order per partition; keep it short.
/// </summary>
public interface IDeliveryHandler
{
    void OnDelivery(in DeliveryEvent delivery, object? state);
}
