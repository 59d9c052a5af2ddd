using System.Buffers.Binary;
using System.Text;
using Samsa.Buffers;
using Samsa.Compression;
using Samsa.Protocol.Records;

namespace Samsa.Tests.Consumer;

/// <summary>A partition's log in a <see cref="FakeKafka"/>: whole record batches with broker-assigned offsets.</summary>
internal sealed class FakePartitionLog
{
    private readonly List<(long BaseOffset, long NextOffset, byte[] Batch)> _batches = [];
    private readonly List<(long Offset, long Timestamp)> _timestamps = [];

    public int Leader { get; set; } = 1;

    public int LeaderEpoch { get; set; }

    public long LogStart { get; set; }

    public long HighWatermark { get; private set; }

    /// <summary>The last stable offset; null means "same as the high watermark" (no open transaction).</summary>
    public long? LastStable { get; set; }

    /// <summary>Aborted transactions (producer id, first offset), as Fetch reports them.</summary>
    public List<(long ProducerId, long FirstOffset)> Aborted { get; } = [];

    public int BatchCount => _batches.Count;

    /// <summary>Appends a batch of <paramref name="count"/> records "{prefix}-{offset}" (values) and returns its base offset.</summary>
    public long Append(int count, string prefix = "v", CompressionType compression = CompressionType.None, long producerId = -1,
        bool transactional = false, int valueSize = 0, long timestamp = 1_000_000)
    {
        long baseOffset = HighWatermark;
        using var builder = new RecordBatchBuilder();
        for (int i = 0; i < count; i++)
        {
            long offset = baseOffset + i;
            byte[] value = Encoding.UTF8.GetBytes($"{prefix}-{offset}");
            if (valueSize > value.Length)
            {
                Array.Resize(ref value, valueSize);
            }

            RecordHeader[] headers = [new("h", Encoding.UTF8.GetBytes("x" + offset))];
            Assert.True(builder.TryAppend(timestamp + offset, Encoding.UTF8.GetBytes("k" + offset), false, value, false, headers, int.MaxValue));
            _timestamps.Add((offset, timestamp + offset));
        }

        var fields = new RecordBatchProducerFields(producerId, producerId >= 0 ? (short)0 : (short)-1, producerId >= 0 ? 0 : -1, transactional, LeaderEpoch);
        using var output = new PooledBufferWriter(1024);
        RecordBatchEncoder.Encode(builder, fields, compression, -1, output);
        AddBatch(output.WrittenSpan.ToArray(), count);
        return baseOffset;
    }

    /// <summary>Appends a transaction marker (a control batch) for <paramref name="producerId"/>.</summary>
    public long AppendMarker(long producerId, bool commit)
    {
        using var builder = new RecordBatchBuilder();
        byte[] key = new byte[4];
        ControlRecord.WriteKey(key, commit ? ControlRecordType.Commit : ControlRecordType.Abort);
        byte[] value = new byte[6];
        ControlRecord.WriteMarkerValue(value, 1);
        Assert.True(builder.TryAppend(5_000, key, false, value, false, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue));
        byte[] batch = builder.Finish(new RecordBatchProducerFields(producerId, 0, -1, isTransactional: true, LeaderEpoch)).ToArray();
        short attributes = RecordBatchHeader.MakeAttributes(0, RecordTimestampType.CreateTime, isTransactional: true, isControl: true);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(21), attributes);
        RecordBatchHeader.WriteCrc(batch);
        long offset = HighWatermark;
        AddBatch(batch, 1);
        return offset;
    }

    /// <summary>Appends raw batch bytes (their base offset is rewritten) counting <paramref name="records"/> offsets.</summary>
    public void AddBatch(byte[] batch, int records)
    {
        long baseOffset = HighWatermark;
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);
        _batches.Add((baseOffset, baseOffset + records, batch));
        HighWatermark = baseOffset + records;
    }

    /// <summary>The batches from the one holding <paramref name="offset"/>, up to <paramref name="maxBytes"/> (at least one whole batch).</summary>
    public byte[] Read(long offset, int maxBytes, bool atLeastOne = true)
    {
        var output = new List<byte>();
        foreach (var (_, next, batch) in _batches)
        {
            if (next <= offset)
            {
                continue;
            }

            if (output.Count + batch.Length > maxBytes && (output.Count > 0 || !atLeastOne))
            {
                // Like a broker, cut the set short: include a partial batch so the client sees one.
                int room = maxBytes - output.Count;
                if (room > 0)
                {
                    output.AddRange(batch.AsSpan(0, Math.Min(room, batch.Length - 1)).ToArray());
                }

                break;
            }

            output.AddRange(batch);
        }

        return [.. output];
    }

    /// <summary>The first offset whose record timestamp is at or after <paramref name="timestamp"/>; -1 when none.</summary>
    public (long Offset, long Timestamp) OffsetForTime(long timestamp)
    {
        foreach (var (offset, ts) in _timestamps)
        {
            if (ts >= timestamp && offset >= LogStart)
            {
                return (offset, ts);
            }
        }

        return (-1, -1);
    }

    /// <summary>The offset and timestamp of the record with the largest timestamp; -1 when empty.</summary>
    public (long Offset, long Timestamp) Newest()
    {
        (long Offset, long Timestamp) best = (-1, -1);
        foreach (var (offset, ts) in _timestamps)
        {
            if (offset >= LogStart && ts >= best.Timestamp)
            {
                best = (offset, ts);
            }
        }

        return best;
    }

    /// <summary>Flips a byte inside the last batch's records (after its CRC was computed).</summary>
    public void CorruptLastBatch(int fromEnd = 3)
    {
        byte[] batch = _batches[^1].Batch;
        batch[^fromEnd] ^= 0xFF;
    }

    /// <summary>Replaces the last batch's bytes (same offsets).</summary>
    public void ReplaceLastBatch(byte[] batch)
    {
        var (b, n, _) = _batches[^1];
        BinaryPrimitives.WriteInt64BigEndian(batch, b);
        _batches[^1] = (b, n, batch);
    }

    public byte[] LastBatch => _batches[^1].Batch;
}
