using System.Runtime.CompilerServices;
using Samsa.Buffers;

namespace Samsa.Protocol.Records;

/// <summary>
/// Builds one uncompressed record batch for the producer, a record at a time, into a pooled buffer whose first
/// 61 bytes are kept for the header. Reusable: <see cref="Reset"/> keeps the rented buffer, so appending
/// allocates nothing once the buffer has grown to the batch size. The header (producer id, epoch, base sequence,
/// transactional flag, leader epoch, CRC) is written by <see cref="Finish"/>, or by the compression layer's
/// encoder for compressed batches. Not thread-safe.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly PooledBufferWriter _buffer;
    private int _count;
    private long _firstTimestamp;
    private long _maxTimestamp;

    /// <summary>Creates a builder whose buffer starts at <paramref name="initialCapacity"/> bytes.</summary>
    public RecordBatchBuilder(int initialCapacity = 16 * 1024)
    {
        _buffer = new PooledBufferWriter(Math.Max(initialCapacity, RecordBatchHeader.Size));
        _buffer.Reserve(RecordBatchHeader.Size);
        _firstTimestamp = -1;
        _maxTimestamp = -1;
    }

    /// <summary>Capacity of the rented buffer (what the builder holds while reused).</summary>
    internal int Capacity => _buffer.Capacity;

    /// <summary>Number of records appended.</summary>
    public int Count => _count;

    /// <summary>Timestamp of the first record (the batch's base timestamp); -1 when empty.</summary>
    public long FirstTimestamp => _firstTimestamp;

    /// <summary>Largest record timestamp; -1 when empty.</summary>
    public long MaxTimestamp => _maxTimestamp;

    /// <summary>Size of the batch if sent uncompressed: the 61-byte header plus the records.</summary>
    public int SizeInBytes => _buffer.WrittenCount;

    /// <summary>The encoded records so far (the uncompressed records region), valid until the next append or reset.</summary>
    public ReadOnlyMemory<byte> Records => _buffer.WrittenMemory[RecordBatchHeader.Size..];

    /// <summary>
    /// Appends a record unless that would take the batch past <paramref name="maxBatchBytes"/> (header included);
    /// the first record is always taken, however large. Returns false when the record must go to a new batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAppend(
        long timestamp,
        ReadOnlySpan<byte> key,
        bool keyIsNull,
        ReadOnlySpan<byte> value,
        bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers,
        int maxBatchBytes)
    {
        long headersSize = 0;
        for (int i = 0; i < headers.Length; i++)
        {
            ref readonly RecordHeader h = ref headers[i];
            int keyBytes = h.KeyByteCount;
            int valueBytes = h.ValueIsNull ? -1 : h.Value.Length;
            headersSize += Varint.SizeOf(keyBytes) + keyBytes + Varint.SizeOf(valueBytes) + Math.Max(valueBytes, 0);
        }

        int total = MeasureRecord(timestamp, key.Length, keyIsNull, value.Length, valueIsNull, headers.Length, headersSize, out int bodySize);
        if (!HasRoomFor(total, maxBatchBytes))
        {
            return false;
        }

        Span<byte> span = _buffer.GetSpan(total);
        int p = WriteRecordStart(span, bodySize, timestamp, key, keyIsNull, value, valueIsNull, headers.Length);
        for (int i = 0; i < headers.Length; i++)
        {
            ref readonly RecordHeader h = ref headers[i];
            int keyBytes = h.KeyByteCount;
            p += Varint.Write(span[p..], keyBytes);
            p += h.WriteKey(span[p..]);
            if (h.ValueIsNull)
            {
                p += Varint.Write(span[p..], -1);
            }
            else
            {
                p += Varint.Write(span[p..], h.Value.Length);
                h.Value.Span.CopyTo(span[p..]);
                p += h.Value.Length;
            }
        }

        Commit(p, total, timestamp);
        return true;
    }

    /// <summary>
    /// Appends a record whose headers are already encoded as on the wire (each: varint key length, key, varint
    /// value length, value), e.g. copied from a consumed record's <see cref="RecordHeaderList.Encoded"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAppend(
        long timestamp,
        ReadOnlySpan<byte> key,
        bool keyIsNull,
        ReadOnlySpan<byte> value,
        bool valueIsNull,
        ReadOnlySpan<byte> encodedHeaders,
        int headerCount,
        int maxBatchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headerCount);
        int total = MeasureRecord(timestamp, key.Length, keyIsNull, value.Length, valueIsNull, headerCount, encodedHeaders.Length, out int bodySize);
        if (!HasRoomFor(total, maxBatchBytes))
        {
            return false;
        }

        Span<byte> span = _buffer.GetSpan(total);
        int p = WriteRecordStart(span, bodySize, timestamp, key, keyIsNull, value, valueIsNull, headerCount);
        encodedHeaders.CopyTo(span[p..]);
        p += encodedHeaders.Length;
        Commit(p, total, timestamp);
        return true;
    }

    /// <summary>
    /// The header this batch gets when sent with the given producer fields, compression codec id and a records
    /// region of <paramref name="recordsLength"/> bytes (compressed or not). Its CRC is 0: compute it over the
    /// written batch with <see cref="RecordBatchHeader.WriteCrc"/>.
    /// </summary>
    public RecordBatchHeader CreateHeader(in RecordBatchProducerFields fields, int compressionCodecId, int recordsLength)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("A record batch needs at least one record.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(recordsLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recordsLength, int.MaxValue - RecordBatchHeader.Size);
        return new RecordBatchHeader(
            baseOffset: 0,
            batchLength: RecordBatchHeader.MinBatchLength + recordsLength,
            partitionLeaderEpoch: fields.PartitionLeaderEpoch,
            magic: RecordBatchHeader.CurrentMagic,
            crc: 0,
            attributes: RecordBatchHeader.MakeAttributes(compressionCodecId, RecordTimestampType.CreateTime, fields.IsTransactional),
            lastOffsetDelta: _count - 1,
            baseTimestamp: _firstTimestamp,
            maxTimestamp: _maxTimestamp,
            producerId: fields.ProducerId,
            producerEpoch: fields.ProducerEpoch,
            baseSequence: fields.BaseSequence,
            recordCount: _count);
    }

    /// <summary>
    /// Writes the header in place and computes the CRC: the result is the whole uncompressed batch, ready to
    /// send, valid until the next append, reset or dispose. May be called again (e.g. with new sequence numbers).
    /// </summary>
    public ReadOnlyMemory<byte> Finish(in RecordBatchProducerFields fields)
    {
        RecordBatchHeader header = CreateHeader(fields, 0, _buffer.WrittenCount - RecordBatchHeader.Size);
        Span<byte> batch = _buffer.WrittenSpanMutable;
        header.Write(batch);
        RecordBatchHeader.WriteCrc(batch);
        return _buffer.WrittenMemory;
    }

    /// <summary>Empties the builder for the next batch; the rented buffer is kept.</summary>
    public void Reset()
    {
        _buffer.Reset();
        _buffer.Reserve(RecordBatchHeader.Size);
        _count = 0;
        _firstTimestamp = -1;
        _maxTimestamp = -1;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => _buffer.Dispose();

    private bool HasRoomFor(int total, int maxBatchBytes)
    {
        if (_count == 0)
        {
            return true;
        }

        return _count < int.MaxValue && (long)_buffer.WrittenCount + total <= maxBatchBytes;
    }

    private int MeasureRecord(long timestamp, int keyLength, bool keyIsNull, int valueLength, bool valueIsNull, int headerCount, long headersSize, out int bodySize)
    {
        long delta = _count == 0 ? 0 : timestamp - _firstTimestamp;
        long body = 1
            + Varint.SizeOf(delta)
            + Varint.SizeOf(_count)
            + (keyIsNull ? 1 : Varint.SizeOf(keyLength) + keyLength)
            + (valueIsNull ? 1 : Varint.SizeOf(valueLength) + valueLength)
            + Varint.SizeOf(headerCount)
            + headersSize;
        if (body > Array.MaxLength - RecordBatchHeader.Size - Varint.MaxLength32 - (long)_buffer.WrittenCount)
        {
            throw new ArgumentException($"A record of {body} bytes does not fit in a record batch.");
        }

        bodySize = (int)body;
        return bodySize + Varint.SizeOf(bodySize);
    }

    private int WriteRecordStart(Span<byte> span, int bodySize, long timestamp, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, int headerCount)
    {
        long delta = _count == 0 ? 0 : timestamp - _firstTimestamp;
        int p = Varint.Write(span, bodySize);
        span[p++] = 0; // record attributes: unused
        p += Varint.Write(span[p..], delta);
        p += Varint.Write(span[p..], _count);
        p += WriteBytes(span[p..], key, keyIsNull);
        p += WriteBytes(span[p..], value, valueIsNull);
        p += Varint.Write(span[p..], headerCount);
        return p;
    }

    private static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> bytes, bool isNull)
    {
        if (isNull)
        {
            destination[0] = 1; // zig-zag of -1
            return 1;
        }

        int p = Varint.Write(destination, bytes.Length);
        bytes.CopyTo(destination[p..]);
        return p + bytes.Length;
    }

    private void Commit(int written, int expected, long timestamp)
    {
        if (written != expected)
        {
            // Only a header key whose UTF-8 size changed between measuring and writing could cause this.
            throw new InvalidOperationException($"Record encoded to {written} bytes, {expected} measured.");
        }

        _buffer.Advance(written);
        if (_count == 0)
        {
            _firstTimestamp = timestamp;
            _maxTimestamp = timestamp;
        }
        else if (timestamp > _maxTimestamp)
        {
            _maxTimestamp = timestamp;
        }

        _count++;
    }
}
