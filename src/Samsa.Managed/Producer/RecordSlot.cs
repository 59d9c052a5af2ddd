namespace Samsa.Producer;

/// <summary>What the producer remembers of one appended record until its delivery is reported.</summary>
internal struct RecordSlot
{
    /// <summary>The delivery callback (an <see cref="IDeliveryHandler"/> or a client-specific object), or null.</summary>
    public object? Callback;

    /// <summary>State passed back with the callback (the user's message, a promise, ...).</summary>
    public object? State;

    /// <summary>The record's timestamp (ms since the epoch).</summary>
    public long Timestamp;
}
