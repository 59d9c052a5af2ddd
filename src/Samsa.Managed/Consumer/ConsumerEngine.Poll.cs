using System.Runtime.CompilerServices;
using Samsa.Groups;
using Samsa.Protocol.Records;

namespace Samsa.Consumer;

internal sealed partial class ConsumerEngine
{
    // The poll thread's cursor: the chunk being walked, the batch in it, and the record reader over that batch.
    private PartitionChunk? _chunk;
    private int _batchIndex;
    private bool _inBatch;
    private RecordReader _records;
    private Task? _groupWait;

    /// <summary>
    /// The next record or end-of-partition event, waiting up to <paramref name="timeout"/> (Infinite: no limit).
    /// Group events and errors are handled first, on this thread. The record is valid until the next call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryConsume(out ConsumedRecord record, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        bool infinite = timeout == Timeout.InfiniteTimeSpan;
        long deadline = infinite ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            Service();
            if (TryNextRecord(out record))
            {
                return true;
            }

            long remaining = infinite ? Timeout.Infinite : deadline - Environment.TickCount64;
            if (!infinite && remaining <= 0)
            {
                return false;
            }

            WaitForWork((int)Math.Min(remaining, int.MaxValue), cancellationToken);
            ThrowIfClosed();
        }
    }

    /// <summary>The next record or event, waiting asynchronously until one comes or the token is cancelled.</summary>
    public async ValueTask<ConsumedRecord> ConsumeAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        while (true)
        {
            Service();
            if (TryNextRecord(out ConsumedRecord record))
            {
                return record;
            }

            Task data = _fetcher.DataReady.WaitAsync();
            if (!data.IsCompleted)
            {
                Task? group = GroupWaitTask();
                Task any = group is null ? data : Task.WhenAny(data, group);
                await any.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            ThrowIfClosed();
        }
    }

    private void WaitForWork(int milliseconds, CancellationToken cancellationToken)
    {
        Task data = _fetcher.DataReady.WaitAsync();
        if (data.IsCompleted)
        {
            return;
        }

        Task? group = GroupWaitTask();
        if (group is null)
        {
            data.Wait(milliseconds, cancellationToken);
        }
        else
        {
            Task.WaitAny([data, group], milliseconds, cancellationToken);
        }
    }

    /// <summary>A task that completes when the membership has an event; kept until it completes.</summary>
    private Task? GroupWaitTask()
    {
        if (_membership is null)
        {
            return null;
        }

        if (_groupWait is null || _groupWait.IsCompleted)
        {
            _groupWait = _membership.WaitForEventAsync(_closing.Token);
        }

        return _groupWait;
    }

    /// <summary>Every poll: take group events (this also tells the membership we are polling) and report errors.</summary>
    private void Service()
    {
        if (_membership is not null)
        {
            while (_membership.TryTakeEvent(out GroupEvent groupEvent))
            {
                ApplyGroupEvent(groupEvent);
            }
        }

        while (_fetcher.TryTakeError(out KafkaException error))
        {
            ReportError(error);
        }
    }

    private void ReportError(KafkaException error)
    {
        ConsumerLog.ConsumerError(_logger, error.Message);
        InvokeHandler("error", () => _callbacks.OnError(error));
    }

    /// <summary>Walks the current chunk; takes the next one when it is done. Allocates nothing per record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryNextRecord(out ConsumedRecord record)
    {
        while (true)
        {
            PartitionChunk? chunk = _chunk;
            if (chunk is null)
            {
                chunk = _fetcher.TryTakeChunk();
                if (chunk is null)
                {
                    record = default;
                    return false;
                }

                _chunk = chunk;
                _batchIndex = 0;
                _inBatch = false;
                if (chunk.Kind == ChunkKind.Records && chunk.NextOffset > chunk.Partition.Position)
                {
                    chunk.Partition.EofReported = false;
                }
            }

            FetchPartition p = chunk.Partition;
            if (chunk.Version != p.Version)
            {
                ReleaseCursor();
                continue;
            }

            if (chunk.Kind != ChunkKind.Records)
            {
                if (TakeEvent(chunk, p, out record))
                {
                    return true;
                }

                continue;
            }

            if (!_inBatch)
            {
                if (_batchIndex >= chunk.Count)
                {
                    ReleaseCursor();
                    continue;
                }

                ref readonly FetchedBatch next = ref chunk[_batchIndex];
                if (next.Skip)
                {
                    // Control batches and aborted transactions: the position moves past them, nothing is delivered.
                    AdvancePast(p, next.Header.NextOffset);
                    _batchIndex++;
                    continue;
                }

                _records = new RecordReader(next.Header, next.Records);
                _inBatch = true;
            }

            ref readonly FetchedBatch batch = ref chunk[_batchIndex];
            Record r;
            bool more;
            try
            {
                more = _records.TryReadNext(out r);
            }
            catch (KafkaException ex)
            {
                throw CorruptRecord(p, ex);
            }

            if (!more)
            {
                _inBatch = false;
                AdvancePast(p, batch.Header.NextOffset);
                chunk.ReleaseBatchBuffer(_batchIndex);
                _batchIndex++;
                continue;
            }

            if (r.Offset < p.Position)
            {
                // Fetches start at the batch holding the position: skip what was already delivered.
                continue;
            }

            p.AdvancePosition(r.Offset + 1);
            p.PositionLeaderEpoch = batch.Header.PartitionLeaderEpoch;
            TimestampType type = r.Timestamp < 0 ? TimestampType.NotAvailable
                : batch.Header.TimestampType == RecordTimestampType.LogAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime;
            record = new ConsumedRecord(p.Topic, p.Partition, r, batch.Header.PartitionLeaderEpoch, type, batch.Owner);
            return true;
        }
    }

    private static void AdvancePast(FetchPartition p, long nextOffset)
    {
        if (nextOffset > p.Position)
        {
            p.AdvancePosition(nextOffset);
        }
    }

    /// <summary>An end-of-partition marker or an error chunk.</summary>
    private bool TakeEvent(PartitionChunk chunk, FetchPartition p, out ConsumedRecord record)
    {
        long endOffset = chunk.NextOffset;
        KafkaException? error = chunk.Error;
        ChunkKind kind = chunk.Kind;
        ReleaseCursor();
        if (kind == ChunkKind.Error)
        {
            throw new ConsumeException(error!.Error, error.Reason, new TopicPartitionOffset(p.TopicPartition, p.Position >= 0 ? p.Position : Offset.Unset), error);
        }

        if (!p.EofReported && p.Position >= endOffset)
        {
            p.EofReported = true;
            record = ConsumedRecord.EndOfPartition(p.Topic, p.Partition, p.Position);
            return true;
        }

        record = default;
        return false;
    }

    /// <summary>
    /// A record that does not parse: the partition is fetched again from the position after a pause, and the
    /// application is told (retrying the same bytes gives the same error, never a hang or a skipped record).
    /// </summary>
    private ConsumeException CorruptRecord(FetchPartition p, KafkaException error)
    {
        ReleaseCursor();
        var where = new TopicPartitionOffset(p.TopicPartition, p.Position);
        _fetcher.RefetchAfterError(p, p.Position);
        return new ConsumeException(error.Error, $"A fetched record of {p.TopicPartition} after offset {p.Position - 1} is malformed: {error.Reason}", where, error);
    }

    /// <summary>Drops the chunk the cursor holds (its memory is released).</summary>
    private void ReleaseCursor()
    {
        PartitionChunk? chunk = _chunk;
        _chunk = null;
        _inBatch = false;
        _records = default;
        chunk?.Release();
    }
}
