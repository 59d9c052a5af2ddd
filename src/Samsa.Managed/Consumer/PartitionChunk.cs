using Samsa.Protocol.Records;

namespace Samsa.Consumer;

/// <summary>What a chunk carries to the poll thread.</summary>
internal enum ChunkKind
{
    /// <summary>Record batches from one fetch response.</summary>
    Records,

    /// <summary>The fetch position reached the end of the partition (enable.partition.eof).</summary>
    EndOfPartition,

    /// <summary>An error to raise to the application, in order with the partition's records.</summary>
    Error,
}

/// <summary>
/// One batch ready for the poll thread: its header and its uncompressed records region, which points into
/// <see cref="Owner"/> (the response frame, or the batch's own decompressed buffer). <see cref="Skip"/> marks
/// control batches and batches of aborted transactions: the position moves past them, nothing is delivered.
/// </summary>
internal readonly struct FetchedBatch
{
    public FetchedBatch(in RecordBatchHeader header, ReadOnlyMemory<byte> records, FetchBuffer? owner, bool skip)
    {
        Header = header;
        Records = records;
        Owner = owner;
        Skip = skip;
    }

    public RecordBatchHeader Header { get; }

    public ReadOnlyMemory<byte> Records { get; }

    public FetchBuffer? Owner { get; }

    public bool Skip { get; }
}

/// <summary>
/// What one fetch response brought for one partition, queued for the poll thread: the batches (decoded off the
/// poll thread), an end-of-partition marker or an error. It holds one reference on the response frame and owns
/// the decompressed buffers of its batches; <see cref="Release"/> drops them all. Chunk objects are pooled.
/// </summary>
internal sealed class PartitionChunk
{
    // A plain array stack under a lock: a ConcurrentQueue would allocate a new segment every so many chunks.
    private const int PoolLimit = 1024;
    private static readonly PartitionChunk?[] Pool = new PartitionChunk?[PoolLimit];
    private static readonly Lock PoolLock = new();
    private static int _pooled;

    private FetchedBatch[] _batches = new FetchedBatch[4];

    private PartitionChunk()
    {
    }

    public FetchPartition Partition { get; private set; } = null!;

    /// <summary>The partition's version when the data was fetched; an older version than the partition's is stale.</summary>
    public int Version { get; private set; }

    public ChunkKind Kind { get; private set; }

    public int Count { get; private set; }

    /// <summary>Records announced by the batches that are not skipped (for the queued.min.messages threshold).</summary>
    public int RecordCount { get; private set; }

    /// <summary>Bytes of the record sections of those batches (as fetched: compressed when the batch is).</summary>
    public long RecordBytes { get; private set; }

    /// <summary>The offset after the last batch (records) or the end offset reached (end of partition).</summary>
    public long NextOffset { get; set; }

    public KafkaException? Error { get; private set; }

    /// <summary>The response frame the uncompressed batches point into (one reference held).</summary>
    public FetchBuffer? Frame { get; private set; }

    public ref readonly FetchedBatch this[int index] => ref _batches[index];

    public static PartitionChunk Rent(FetchPartition partition, int version, ChunkKind kind)
    {
        PartitionChunk? chunk = null;
        lock (PoolLock)
        {
            if (_pooled > 0)
            {
                chunk = Pool[--_pooled];
                Pool[_pooled] = null;
            }
        }

        chunk ??= new PartitionChunk();

        chunk.Partition = partition;
        chunk.Version = version;
        chunk.Kind = kind;
        return chunk;
    }

    public static PartitionChunk ForError(FetchPartition partition, int version, KafkaException error)
    {
        PartitionChunk chunk = Rent(partition, version, ChunkKind.Error);
        chunk.Error = error;
        return chunk;
    }

    /// <summary>Takes a reference on the frame for this chunk's batches (once, before adding frame batches).</summary>
    public void UseFrame(FetchBuffer frame)
    {
        if (Frame is null)
        {
            frame.Retain();
            Frame = frame;
        }
    }

    public void Add(in FetchedBatch batch)
    {
        if (Count == _batches.Length)
        {
            Array.Resize(ref _batches, _batches.Length * 2);
        }

        _batches[Count++] = batch;
        if (!batch.Skip)
        {
            RecordCount += batch.Header.RecordCount;
            RecordBytes += batch.Records.Length;
        }
    }

    /// <summary>
    /// The poll thread is done with a batch: its decompressed buffer (if it has one of its own) is released now
    /// rather than with the whole chunk, so the budget frees up as the application reads.
    /// </summary>
    public void ReleaseBatchBuffer(int index)
    {
        ref FetchedBatch batch = ref _batches[index];
        FetchBuffer? owner = batch.Owner;
        if (owner is not null && !ReferenceEquals(owner, Frame))
        {
            batch = new FetchedBatch(batch.Header, ReadOnlyMemory<byte>.Empty, null, batch.Skip);
            owner.Release();
        }
    }

    /// <summary>Releases the memory the batches point into and returns the chunk to the pool.</summary>
    public void Release()
    {
        for (int i = 0; i < Count; i++)
        {
            FetchBuffer? owner = _batches[i].Owner;
            if (owner is not null && !ReferenceEquals(owner, Frame))
            {
                owner.Release();
            }
        }

        Frame?.Release();
        Array.Clear(_batches, 0, Count);
        Count = 0;
        RecordCount = 0;
        RecordBytes = 0;
        NextOffset = 0;
        Frame = null;
        Error = null;
        Partition = null!;
        if (_batches.Length > 64)
        {
            _batches = new FetchedBatch[4];
        }

        lock (PoolLock)
        {
            if (_pooled < PoolLimit)
            {
                Pool[_pooled++] = this;
            }
        }
    }
}
