namespace Samsa;

public sealed partial class Consumer<TKey, TValue>
{
    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) =>
        WithTimeout(timeout, "reading committed offsets", ct => _engine.CommittedAsync(partitions, ct));

    public Task<List<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        _engine.CommittedAsync(partitions, cancellationToken);

    public List<TopicPartitionOffset> Commit() => _engine.Commit();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => _engine.Commit(offsets);

    public void Commit(ConsumeResult<TKey, TValue> result) => _engine.Commit([NextOffset(result)]);

    public Task<List<TopicPartitionOffset>> CommitAsync(CancellationToken cancellationToken = default) => _engine.CommitAsync(cancellationToken);

    public Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default) =>
        _engine.CommitAsync(offsets, cancellationToken);

    public void StoreOffset(ConsumeResult<TKey, TValue> result) => _engine.StoreOffset(NextOffset(result));

    public void StoreOffset(TopicPartitionOffset offset) => _engine.StoreOffset(offset);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition) => _engine.GetWatermarkOffsets(partition);

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout) =>
        WithTimeout(timeout, $"querying the watermarks of {partition}", ct => _engine.QueryWatermarkOffsetsAsync(partition, ct));

    public Task<WatermarkOffsets> QueryWatermarkOffsetsAsync(TopicPartition partition, CancellationToken cancellationToken = default) =>
        _engine.QueryWatermarkOffsetsAsync(partition, cancellationToken);

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestamps, TimeSpan timeout) =>
        WithTimeout(timeout, "looking up offsets for times", ct => _engine.OffsetsForTimesAsync(timestamps, ct));

    public Task<List<TopicPartitionOffset>> OffsetsForTimesAsync(IEnumerable<TopicPartitionTimestamp> timestamps, CancellationToken cancellationToken = default) =>
        _engine.OffsetsForTimesAsync(timestamps, cancellationToken);

    /// <summary>The offset to commit or store after a consumed message: the next one, in the same leader epoch.</summary>
    private static TopicPartitionOffset NextOffset(ConsumeResult<TKey, TValue> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsPartitionEOF)
        {
            return new TopicPartitionOffset(result.TopicPartition, result.Offset, result.LeaderEpoch);
        }

        return new TopicPartitionOffset(result.TopicPartition, result.Offset.Value + 1, result.LeaderEpoch);
    }

    private static T WithTimeout<T>(TimeSpan timeout, string what, Func<CancellationToken, Task<T>> operation)
    {
        CheckTimeout(timeout);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return operation(cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException ex) when (cts.IsCancellationRequested)
        {
            throw new KafkaException(ErrorCode.LocalTimedOut, $"Timed out {what} after {timeout.TotalMilliseconds:0} ms.", ex);
        }
    }
}
