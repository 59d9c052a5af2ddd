using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Samsa.Buffers;
using Samsa.Compression;
using Samsa.Protocol.Records;

namespace Samsa.Producer;

/// <summary>
/// One record batch for one partition, from the first append to the delivery report: the records (pooled
/// builder), each record's callback, and its send state (attempts, sequence, wire bytes). Pooled and reused.
/// </summary>
internal sealed class ProducerBatch : IDisposable
{
    private const int ProducerIdOffset = 43;
    private const int ProducerEpochOffset = 51;
    private const int BaseSequenceOffset = 53;

    private readonly RecordBatchBuilder _builder = new(16 * 1024);
    private readonly PooledBufferWriter _compressed = new(0);
    private RecordSlot[] _slots = ArrayPool<RecordSlot>.Shared.Rent(64);
    private ReadOnlyMemory<byte> _wire;

    public PartitionState Partition { get; private set; } = null!;

    public int Count => _builder.Count;

    public int SizeInBytes => _builder.SizeInBytes;

    /// <summary>Bytes charged against queue.buffering.max.kbytes.</summary>
    public long AccountedBytes { get; set; }

    /// <summary>Environment.TickCount64 of the first append.</summary>
    public long CreatedAt { get; private set; }

    /// <summary>When the batch fails with a timeout if it has not been delivered.</summary>
    public long Deadline { get; private set; }

    /// <summary>The batch's outcome, known while batches sent before it are still unanswered (reports go out in order).</summary>
    public Completion? Outcome { get; set; }

    /// <summary>How many times the batch has been sent.</summary>
    public int Attempts { get; set; }

    /// <summary>Not to be sent again before this tick (retry backoff).</summary>
    public long NotBefore { get; set; }

    /// <summary>Sequence of the first record, or -1 before the batch is first sent (idempotence).</summary>
    public int BaseSequence { get; set; } = -1;

    /// <summary>The producer epoch the sequence belongs to.</summary>
    public short ProducerEpoch { get; set; } = -1;

    /// <summary>True once the batch has left for a broker at least once (its outcome may be unknown).</summary>
    public bool EverSent => Attempts > 0;

    /// <summary>The batch as sent: header, CRC and (compressed) records. Valid after <see cref="Seal"/>.</summary>
    public ReadOnlyMemory<byte> Wire => _wire;

    public bool IsSealed => !_wire.IsEmpty;

    public ReadOnlySpan<RecordSlot> Slots => _slots.AsSpan(0, _builder.Count);

    /// <summary>What the batch holds while pooled: its record and compressed buffers and its slot array, in bytes.</summary>
    public long RetainedBytes => (long)_builder.Capacity + _compressed.Capacity + ((long)_slots.Length * Unsafe.SizeOf<RecordSlot>());

    /// <summary>The larger of the record and compressed buffers' capacities (what batch.size bounds).</summary>
    public int LargestBufferCapacity => Math.Max(_builder.Capacity, _compressed.Capacity);

    private int _active;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Start(PartitionState partition, long now, long deliveryTimeoutMs)
    {
        if (Interlocked.Exchange(ref _active, 1) != 0)
        {
            throw new InvalidOperationException("A batch in use was rented again.");
        }

        Partition = partition;
        CreatedAt = now;
        Deadline = now + deliveryTimeoutMs;
        Attempts = 0;
        Outcome = null;
        NotBefore = 0;
        BaseSequence = -1;
        ProducerEpoch = -1;
        AccountedBytes = 0;
        _wire = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAppend(long timestamp, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers, int maxBatchBytes, object? callback, object? state)
    {
        int index = _builder.Count;
        if (!_builder.TryAppend(timestamp, key, keyIsNull, value, valueIsNull, headers, maxBatchBytes))
        {
            return false;
        }

        if (index == _slots.Length)
        {
            RecordSlot[] bigger = ArrayPool<RecordSlot>.Shared.Rent(_slots.Length * 2);
            _slots.AsSpan().CopyTo(bigger);
            ArrayPool<RecordSlot>.Shared.Return(_slots, clearArray: true);
            _slots = bigger;
        }

        ref RecordSlot slot = ref _slots[index];
        slot.Callback = callback;
        slot.State = state;
        slot.Timestamp = timestamp;
        return true;
    }

    /// <summary>Encodes the batch for the wire (compressing it once) with the producer fields of its first send.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Seal(long producerId, short producerEpoch, int baseSequence, CompressionType compression, int level)
    {
        var fields = new RecordBatchProducerFields(producerId, producerEpoch, baseSequence);
        BaseSequence = baseSequence;
        ProducerEpoch = producerEpoch;
        if (compression == CompressionType.None)
        {
            _wire = _builder.Finish(fields);
            return;
        }

        _compressed.Reset();
        int length = RecordBatchEncoder.Encode(_builder, fields, compression, level, _compressed);
        _wire = _compressed.WrittenMemory[..length];
    }

    /// <summary>Rewrites the producer id, epoch and base sequence of a sealed batch and its CRC (after an epoch bump).</summary>
    public void Restamp(long producerId, short producerEpoch, int baseSequence)
    {
        Span<byte> bytes = MemoryMarshal.AsMemory(_wire).Span;
        BinaryPrimitives.WriteInt64BigEndian(bytes[ProducerIdOffset..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(bytes[ProducerEpochOffset..], producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(bytes[BaseSequenceOffset..], baseSequence);
        RecordBatchHeader.WriteCrc(bytes);
        BaseSequence = baseSequence;
        ProducerEpoch = producerEpoch;
    }

    /// <summary>Empties the batch for reuse; the rented buffers are kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset()
    {
        if (Interlocked.Exchange(ref _active, 0) != 1)
        {
            throw new InvalidOperationException("A batch was returned twice.");
        }

        _slots.AsSpan(0, _builder.Count).Clear();
        _builder.Reset();
        _compressed.Reset();
        _wire = default;
        Partition = null!;
    }

    public void Dispose()
    {
        _builder.Dispose();
        _compressed.Dispose();
        ArrayPool<RecordSlot>.Shared.Return(_slots, clearArray: true);
        _slots = [];
    }
}
