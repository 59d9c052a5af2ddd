using System.Buffers.Binary;
using Samsa.Protocol.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Tests.Records;

/// <summary>Builds batches for tests.</summary>
internal static class TestBatches
{
    /// <summary>An uncompressed batch of <paramref name="count"/> records key-i / value-i with one header, at <paramref name="baseOffset"/>.</summary>
    public static byte[] Simple(int count, long baseOffset = 0, long timestamp = 1_000)
    {
        using var builder = new RecordBatchBuilder();
        RecordHeader[] headers = [new("trace", "abc"u8.ToArray())];
        for (int i = 0; i < count; i++)
        {
            Assert.True(builder.TryAppend(timestamp + i, System.Text.Encoding.UTF8.GetBytes($"key-{i}"), false, System.Text.Encoding.UTF8.GetBytes($"value-{i}"), false, headers, int.MaxValue));
        }

        byte[] batch = builder.Finish(RecordBatchProducerFields.None).ToArray();
        return WithBaseOffset(batch, baseOffset);
    }

    /// <summary>Changes the base offset (as a broker does) and recomputes the CRC; returns the same array.</summary>
    public static byte[] WithBaseOffset(byte[] batch, long baseOffset)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);
        return batch;
    }

    /// <summary>A control batch holding one transaction marker, as a broker writes it.</summary>
    public static byte[] ControlBatch(ControlRecordType type, long baseOffset, int coordinatorEpoch, bool zeroCrc = false)
    {
        using var builder = new RecordBatchBuilder();
        byte[] key = new byte[4];
        ControlRecord.WriteKey(key, type);
        byte[] value = new byte[6];
        ControlRecord.WriteMarkerValue(value, coordinatorEpoch);
        Assert.True(builder.TryAppend(5_000, key, false, value, false, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue));
        byte[] batch = builder.Finish(new RecordBatchProducerFields(77, 3, -1, isTransactional: true)).ToArray();
        short attributes = RecordBatchHeader.MakeAttributes(0, RecordTimestampType.CreateTime, isTransactional: true, isControl: true);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesOffset), attributes);
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);
        if (zeroCrc)
        {
            BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcOffset), 0);
        }
        else
        {
            RecordBatchHeader.WriteCrc(batch);
        }

        return batch;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Reads every record of every batch (uncompressed) and returns (offset, key, value) triples.</summary>
    public static List<(long Offset, string? Key, string? Value)> ReadAll(byte[] recordSet, bool checkCrcs = true)
    {
        var result = new List<(long, string?, string?)>();
        var reader = new RecordBatchReader(recordSet, "topic", 0, checkCrcs);
        while (reader.TryReadNext(out RecordBatch batch))
        {
            foreach (Record r in batch.GetRecordReader())
            {
                result.Add((r.Offset,
                    r.KeyIsNull ? null : System.Text.Encoding.UTF8.GetString(r.Key.Span),
                    r.ValueIsNull ? null : System.Text.Encoding.UTF8.GetString(r.Value.Span)));
            }
        }

        return result;
    }
}
