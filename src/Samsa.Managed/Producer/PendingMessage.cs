namespace Samsa.Producer;

/// <summary>
/// A parked message (one that arrived before its topic's metadata) that is being failed: what its delivery
/// report needs. Made only on failure; parked messages themselves live in <see cref="PendingQueue"/>.
/// </summary>
internal sealed record PendingMessage(
    int Partition,
    long Timestamp,
    object? Callback,
    object? State,
    long AccountedBytes);
