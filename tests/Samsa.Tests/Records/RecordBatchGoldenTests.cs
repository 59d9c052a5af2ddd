using System.Text;
using Samsa.Protocol.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Tests.Records;

/// <summary>
/// A batch written byte by byte from the protocol documentation (Kafka's "Record Batch" and "Record" layouts),
/// with its CRC-32C computed by an independent bitwise implementation, not by the code under test.
/// </summary>
public sealed class RecordBatchGoldenTests
{
    // Record 1: timestamp 1700000000000, key "key", value "value", one header h=1.
    // Record 2: timestamp +5 ms, null key, empty value, no header.
    private static readonly byte[] Golden = Convert.FromHexString(
        "0000000000000000" + // baseOffset 0
        "0000004B" + // batchLength 75 = 49 + 26 bytes of records
        "FFFFFFFF" + // partitionLeaderEpoch -1
        "02" + // magic
        "205BD30D" + // crc (bitwise CRC-32C of everything after this field)
        "0000" + // attributes: no compression, create time
        "00000001" + // lastOffsetDelta
        "0000018BCFE56800" + // baseTimestamp 1700000000000
        "0000018BCFE56805" + // maxTimestamp
        "FFFFFFFFFFFFFFFF" + // producerId -1
        "FFFF" + // producerEpoch -1
        "FFFFFFFF" + // baseSequence -1
        "00000002" + // records count
        "24" + "00" + "00" + "00" + "06" + "6B6579" + "0A" + "76616C7565" + "02" + "02" + "68" + "02" + "31" +
        "0C" + "00" + "0A" + "02" + "01" + "00" + "00");

    [Fact]
    public void HeaderFieldsParse()
    {
        RecordBatchHeader h = RecordBatchHeader.Read(Golden);
        Assert.Equal(0, h.BaseOffset);
        Assert.Equal(75, h.BatchLength);
        Assert.Equal(Golden.Length, h.TotalSize);
        Assert.Equal(-1, h.PartitionLeaderEpoch);
        Assert.Equal(2, h.Magic);
        Assert.Equal(0x205BD30Du, h.Crc);
        Assert.Equal(0, h.Attributes);
        Assert.Equal(0, h.CompressionCodecId);
        Assert.Equal(RecordTimestampType.CreateTime, h.TimestampType);
        Assert.False(h.IsTransactional);
        Assert.False(h.IsControl);
        Assert.False(h.HasDeleteHorizon);
        Assert.Equal(1, h.LastOffsetDelta);
        Assert.Equal(1, h.LastOffset);
        Assert.Equal(1700000000000, h.BaseTimestamp);
        Assert.Equal(1700000000005, h.MaxTimestamp);
        Assert.Equal(-1, h.ProducerId);
        Assert.Equal(-1, h.ProducerEpoch);
        Assert.Equal(-1, h.BaseSequence);
        Assert.Equal(2, h.RecordCount);
        Assert.Equal(h.Crc, RecordBatchHeader.ComputeCrc(Golden));
    }

    [Fact]
    public void RecordsParse()
    {
        var reader = new RecordBatchReader(Golden, "t", 0);
        Assert.True(reader.TryReadNext(out RecordBatch batch));
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.HasPartialBatch);

        RecordReader records = batch.GetRecordReader();
        Assert.True(records.TryReadNext(out Record first));
        Assert.Equal(0, first.Offset);
        Assert.Equal(1700000000000, first.Timestamp);
        Assert.False(first.KeyIsNull);
        Assert.Equal("key", Encoding.UTF8.GetString(first.Key.Span));
        Assert.Equal("value", Encoding.UTF8.GetString(first.Value.Span));
        Assert.Equal(1, first.Headers.Count);
        foreach (RecordHeaderView header in first.Headers)
        {
            Assert.Equal("h", header.GetKeyString());
            Assert.Equal("1", Encoding.UTF8.GetString(header.Value.Span));
            Assert.False(header.ValueIsNull);
        }

        Assert.True(records.TryReadNext(out Record second));
        Assert.Equal(1, second.Offset);
        Assert.Equal(1700000000005, second.Timestamp);
        Assert.True(second.KeyIsNull);
        Assert.False(second.ValueIsNull);
        Assert.True(second.Value.IsEmpty);
        Assert.Equal(0, second.Headers.Count);
        Assert.False(records.TryReadNext(out _));
    }

    [Fact]
    public void BuilderWritesTheSameBytes()
    {
        using var builder = new RecordBatchBuilder();
        RecordHeader[] headers = [new("h", "1"u8.ToArray())];
        Assert.True(builder.TryAppend(1700000000000, "key"u8, false, "value"u8, false, headers, 1 << 20));
        Assert.True(builder.TryAppend(1700000000005, default, true, default, false, ReadOnlySpan<RecordHeader>.Empty, 1 << 20));
        ReadOnlyMemory<byte> batch = builder.Finish(RecordBatchProducerFields.None);
        Assert.Equal(Convert.ToHexString(Golden), Convert.ToHexString(batch.Span));
    }

    [Fact]
    public void HeaderWriteRoundTrips()
    {
        RecordBatchHeader h = RecordBatchHeader.Read(Golden);
        byte[] written = new byte[RecordBatchHeader.Size];
        h.Write(written);
        Assert.Equal(Golden[..RecordBatchHeader.Size], written);
    }

    [Fact]
    public void AttributeBits()
    {
        short a = RecordBatchHeader.MakeAttributes(4, RecordTimestampType.LogAppendTime, isTransactional: true, isControl: true, hasDeleteHorizon: true);
        Assert.Equal(0b111_1100, a);
        var h = new RecordBatchHeader(0, 49, -1, 2, 0, a, 0, 0, 0, -1, -1, -1, 0);
        Assert.Equal(4, h.CompressionCodecId);
        Assert.True(h.IsCompressed);
        Assert.Equal(RecordTimestampType.LogAppendTime, h.TimestampType);
        Assert.True(h.IsTransactional);
        Assert.True(h.IsControl);
        Assert.True(h.HasDeleteHorizon);
    }

    [Fact]
    public void LogAppendTimeGivesEveryRecordTheMaxTimestamp()
    {
        byte[] batch = (byte[])Golden.Clone();
        batch[RecordBatchHeader.AttributesOffset + 1] = 0x08;
        RecordBatchHeader.WriteCrc(batch);
        RecordBatch parsed = RecordBatch.Parse(batch);
        foreach (Record r in parsed.GetRecordReader())
        {
            Assert.Equal(1700000000005, r.Timestamp);
        }
    }

    [Theory]
    [InlineData(RecordBatchHeader.MagicOffset, 3, "magic")]
    [InlineData(RecordBatchHeader.BatchLengthOffset + 3, 10, "length")]
    [InlineData(RecordBatchHeader.RecordCountOffset, 0xFF, "negative record count")]
    [InlineData(RecordBatchHeader.LastOffsetDeltaOffset, 0xFF, "negative last offset delta")]
    public void InvalidHeaderFieldsAreRejected(int position, byte value, string expected)
    {
        byte[] batch = (byte[])Golden.Clone();
        batch[position] = value;
        ProtocolException e = Assert.Throws<ProtocolException>(() => RecordBatchHeader.Read(batch));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
