using Samsa.Protocol.Records;

namespace Samsa.Producer;

/// <summary>
/// A message whose topic has no metadata yet, copied out of the caller's buffers (only until the topic's
/// metadata arrives; steady-state produce never takes this path).
/// </summary>
internal sealed record PendingMessage(
    int Partition,
    byte[]? Key,
    byte[]? Value,
    RecordHeader[] Headers,
    long Timestamp,
    object? Callback,
    object? State,
    long EnqueuedAt,
    long AccountedBytes);
