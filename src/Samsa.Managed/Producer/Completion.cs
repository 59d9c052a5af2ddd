namespace Samsa.Producer;

/// <summary>The outcome of a batch (or of a single message that never reached a batch), queued for delivery reports.</summary>
internal readonly record struct Completion(
    ProducerBatch? Batch,
    PendingMessage? Single,
    string Topic,
    int Partition,
    ErrorCode Error,
    string? ErrorMessage,
    long BaseOffset,
    long LogAppendTime,
    PersistenceStatus Status);
