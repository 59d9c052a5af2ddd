namespace Samsa;

/// <summary>
/// A Kafka consumer of keys of type <typeparamref name="TKey"/> and values of type <typeparamref name="TValue"/>.
/// Consume from one thread at a time; rebalance and error handlers run on that thread, inside the consume call.
/// </summary>
public interface IConsumer<TKey, TValue> : IAsyncDisposable, IDisposable
{
    /// <summary>client.id plus an instance number.</summary>
    string Name { get; }

    /// <summary>The member id the group gave this consumer; empty when not in a group.</summary>
    string MemberId { get; }

    /// <summary>The partitions assigned now (by the group, or by Assign).</summary>
    List<TopicPartition> Assignment { get; }

    /// <summary>The subscribed topic names and '^'-prefixed patterns.</summary>
    List<string> Subscription { get; }

    /// <summary>Subscribes to topics (names; a name starting with '^' is a regular expression). Needs group.id.</summary>
    void Subscribe(IEnumerable<string> topics);

    /// <summary>Subscribes to one topic (or '^'-prefixed pattern).</summary>
    void Subscribe(string topic);

    /// <summary>Leaves the subscription; the assignment is revoked.</summary>
    void Unsubscribe();

    /// <summary>Consumes exactly these partitions from these offsets (replacing any assignment); no group rebalancing.</summary>
    void Assign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>Consumes exactly these partitions, from their committed offsets (or auto.offset.reset).</summary>
    void Assign(IEnumerable<TopicPartition> partitions);

    /// <summary>Consumes one partition from an offset (replacing any assignment).</summary>
    void Assign(TopicPartitionOffset partition);

    /// <summary>Consumes one partition from its committed offset (replacing any assignment).</summary>
    void Assign(TopicPartition partition);

    /// <summary>Adds partitions to the assignment.</summary>
    void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>Adds partitions to the assignment, from their committed offsets.</summary>
    void IncrementalAssign(IEnumerable<TopicPartition> partitions);

    /// <summary>Removes partitions from the assignment.</summary>
    void IncrementalUnassign(IEnumerable<TopicPartition> partitions);

    /// <summary>Removes every partition from the assignment.</summary>
    void Unassign();

    /// <summary>Waits for the next message (or end-of-partition event) until cancelled.</summary>
    ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default);

    /// <summary>Waits up to <paramref name="timeout"/> for the next message; null on timeout.</summary>
    ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout);

    /// <summary>Waits up to <paramref name="millisecondsTimeout"/> for the next message; null on timeout.</summary>
    ConsumeResult<TKey, TValue>? Consume(int millisecondsTimeout);

    /// <summary>The next message, awaited without blocking a thread.</summary>
    ValueTask<ConsumeResult<TKey, TValue>> ConsumeAsync(CancellationToken cancellationToken = default);

    /// <summary>Every message from now on, as an async stream, until cancelled.</summary>
    IAsyncEnumerable<ConsumeResult<TKey, TValue>> ConsumeAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The next record without deserializing or copying, waiting up to <paramref name="timeout"/>; false on timeout.
    /// The record is valid until the next consume call (see <see cref="ConsumedRecord.Retain"/>).
    /// </summary>
    bool TryConsumeRaw(out ConsumedRecord record, TimeSpan timeout);

    /// <summary>Moves a partition's position; the next message comes from there.</summary>
    void Seek(TopicPartitionOffset position);

    /// <summary>Stops handing out messages of these partitions (and stops fetching them) until resumed.</summary>
    void Pause(IEnumerable<TopicPartition> partitions);

    /// <summary>Resumes paused partitions.</summary>
    void Resume(IEnumerable<TopicPartition> partitions);

    /// <summary>The offset of the next message to be handed out for an assigned partition (Unset before it is known).</summary>
    Offset Position(TopicPartition partition);

    /// <summary>The group's committed offsets of partitions (Unset where none).</summary>
    List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout);

    /// <summary>The group's committed offsets of partitions (Unset where none).</summary>
    Task<List<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default);

    /// <summary>Commits the stored offsets (the consumed positions) of the assignment; returns them.</summary>
    List<TopicPartitionOffset> Commit();

    /// <summary>Commits the given offsets (each the next offset to read) of assigned partitions.</summary>
    void Commit(IEnumerable<TopicPartitionOffset> offsets);

    /// <summary>Commits the offset after a consumed message.</summary>
    void Commit(ConsumeResult<TKey, TValue> result);

    /// <summary>Commits the stored offsets of the assignment; returns them.</summary>
    Task<List<TopicPartitionOffset>> CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>Commits the given offsets of assigned partitions.</summary>
    Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);

    /// <summary>Stores the offset after a message for the next commit (enable.auto.offset.store=false).</summary>
    void StoreOffset(ConsumeResult<TKey, TValue> result);

    /// <summary>Stores an offset (the next to read) for the next commit (enable.auto.offset.store=false).</summary>
    void StoreOffset(TopicPartitionOffset offset);

    /// <summary>The watermarks from the last fetch of an assigned partition, without asking the broker (Unset when unknown).</summary>
    WatermarkOffsets GetWatermarkOffsets(TopicPartition partition);

    /// <summary>Asks the partition's leader for its watermarks.</summary>
    WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout);

    /// <summary>Asks the partition's leader for its watermarks.</summary>
    Task<WatermarkOffsets> QueryWatermarkOffsetsAsync(TopicPartition partition, CancellationToken cancellationToken = default);

    /// <summary>The first offset at or after each timestamp (Offset.End when none).</summary>
    List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestamps, TimeSpan timeout);

    /// <summary>The first offset at or after each timestamp (Offset.End when none).</summary>
    Task<List<TopicPartitionOffset>> OffsetsForTimesAsync(IEnumerable<TopicPartitionTimestamp> timestamps, CancellationToken cancellationToken = default);

    /// <summary>Commits (when auto-commit is on), leaves the group and stops; idempotent. Dispose does the same.</summary>
    void Close();

    /// <summary>Like <see cref="Close"/>, awaited.</summary>
    ValueTask CloseAsync();
}
