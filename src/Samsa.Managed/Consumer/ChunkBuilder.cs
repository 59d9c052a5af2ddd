using Samsa.Buffers;
using Samsa.Compression;
using Samsa.Protocol.Messages;
using Samsa.Protocol.Records;

namespace Samsa.Consumer;

/// <summary>
/// Turns the records of one fetched partition into a <see cref="PartitionChunk"/> on the fetcher's task, so the
/// poll thread only walks records: batches are bounded (and CRC-checked with check.crcs), compressed batches are
/// decompressed into buffers of their own, and under read_committed the batches of aborted transactions are
/// marked to skip using the response's AbortedTransactions (control batches are always skipped). One instance per
/// broker fetcher: not thread-safe.
/// </summary>
internal sealed class ChunkBuilder
{
    private readonly ConsumerSettings _settings;
    private readonly FetchMemoryBudget _budget;
    private readonly HashSet<long> _abortedProducers = [];
    private readonly List<FetchResponse.AbortedTransaction> _aborted = [];

    public ChunkBuilder(ConsumerSettings settings, FetchMemoryBudget budget)
    {
        _settings = settings;
        _budget = budget;
    }

    /// <summary>
    /// Builds the chunk for <paramref name="records"/> fetched from <paramref name="fetchOffset"/>. Batches wholly
    /// before the fetch offset are left out. When a batch is bad (CRC, framing, compression), the batches before it
    /// are kept and <paramref name="error"/> says what is wrong with the rest. Decompression stops once the memory
    /// budget is spent (unless <paramref name="mayExceedBudget"/>, for the first batch of a response, so that
    /// fetching always progresses): the batches left out are fetched again later.
    /// </summary>
    public PartitionChunk Build(FetchPartition partition, int version, long fetchOffset, ReadOnlyMemory<byte> records,
        List<FetchResponse.AbortedTransaction>? abortedTransactions, FetchBuffer frame, bool mayExceedBudget,
        out bool onlyPartialBatch, out KafkaException? error)
    {
        PartitionChunk chunk = PartitionChunk.Rent(partition, version, ChunkKind.Records);
        chunk.NextOffset = fetchOffset;
        error = null;
        onlyPartialBatch = false;
        bool readCommitted = _settings.IsolationLevel == IsolationLevel.ReadCommitted;
        PrepareAborted(readCommitted ? abortedTransactions : null);
        int abortedIndex = 0;
        var reader = new RecordBatchReader(records, partition.Topic, partition.Partition, _settings.CheckCrcs);
        try
        {
            while (reader.TryReadNext(out RecordBatch batch))
            {
                RecordBatchHeader header = batch.Header;
                if (header.LastOffset < fetchOffset)
                {
                    continue;
                }

                // Transactions that began at or before this batch are aborted from here on (their producer's data is skipped).
                while (abortedIndex < _aborted.Count && _aborted[abortedIndex].FirstOffset <= header.LastOffset)
                {
                    _abortedProducers.Add(_aborted[abortedIndex].ProducerId);
                    abortedIndex++;
                }

                if (header.IsControl)
                {
                    if (readCommitted && _abortedProducers.Count > 0 && IsAbortMarker(batch))
                    {
                        _abortedProducers.Remove(header.ProducerId);
                    }

                    chunk.Add(new FetchedBatch(header, ReadOnlyMemory<byte>.Empty, null, skip: true));
                }
                else if (header.IsTransactional && _abortedProducers.Contains(header.ProducerId))
                {
                    chunk.Add(new FetchedBatch(header, ReadOnlyMemory<byte>.Empty, null, skip: true));
                }
                else if (!header.IsCompressed)
                {
                    chunk.UseFrame(frame);
                    chunk.Add(new FetchedBatch(header, batch.RecordsRegion, frame, skip: false));
                }
                else
                {
                    if (_budget.Used >= _budget.Limit && (chunk.Count > 0 || !mayExceedBudget))
                    {
                        // Over budget: leave this batch and the rest in the frame; they are fetched again later.
                        break;
                    }

                    FetchBuffer decoded = Decompress(batch);
                    chunk.Add(new FetchedBatch(header, decoded.Memory, decoded, skip: false));
                }

                chunk.NextOffset = header.NextOffset;
            }

            onlyPartialBatch = chunk.Count == 0 && reader.HasPartialBatch;
        }
        catch (KafkaException ex)
        {
            error = ex;
        }
        finally
        {
            _abortedProducers.Clear();
            _aborted.Clear();
        }

        return chunk;
    }

    private void PrepareAborted(List<FetchResponse.AbortedTransaction>? aborted)
    {
        if (aborted is null || aborted.Count == 0)
        {
            return;
        }

        _aborted.AddRange(aborted);
        _aborted.Sort(static (a, b) => a.FirstOffset.CompareTo(b.FirstOffset));
    }

    private static bool IsAbortMarker(in RecordBatch batch)
    {
        if (batch.Header.RecordCount == 0)
        {
            return false;
        }

        using DecodedRecordBatch decoded = RecordBatchDecoder.Decode(batch);
        RecordReader records = decoded.GetRecordReader();
        return records.TryReadNext(out Record record) && ControlRecord.Parse(record).Type == ControlRecordType.Abort;
    }

    private FetchBuffer Decompress(in RecordBatch batch)
    {
        // Codecs that know the decompressed size reserve it themselves; this is only the first guess.
        int guess = (int)Math.Clamp(batch.RecordsRegion.Length * 2L, 256, 64 * 1024);
        // Large outputs come from the bounded pool the buffer returns them to (FetchBuffer.Release).
        var writer = new PooledBufferWriter(guess, LargeArrayPool.Instance);
        try
        {
            RecordBatchDecoder.Decompress(batch, writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        byte[] array = writer.DetachBuffer(out int length);
        return FetchBuffer.ForPooledArray(array, length, _budget);
    }
}
