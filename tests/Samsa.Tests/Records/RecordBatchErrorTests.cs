using System.Buffers.Binary;
using Samsa.Protocol.Records;

namespace Samsa.Tests.Records;

public sealed class RecordBatchErrorTests
{
    [Fact]
    public void CrcMismatchNamesTopicPartitionAndOffset()
    {
        byte[] set = TestBatches.Concat(TestBatches.Simple(2, 40), TestBatches.Simple(2, 42));
        int second = set.Length / 2;
        set[second + RecordBatchHeader.Size + 3] ^= 0x01;

        var reader = new RecordBatchReader(set, "orders", 7, checkCrcs: true);
        Assert.True(reader.TryReadNext(out _));
        KafkaException e = Assert.Throws<KafkaException>(() => reader.TryReadNext(out _));
        Assert.Equal(ErrorCode.LocalCrc, e.Error);
        Assert.Contains("orders", e.Message, StringComparison.Ordinal);
        Assert.Contains("[7]", e.Message, StringComparison.Ordinal);
        Assert.Contains("offset 42", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrcIsNotCheckedWhenTurnedOff()
    {
        byte[] batch = TestBatches.Simple(1);
        batch[RecordBatchHeader.CrcOffset] ^= 0xFF;
        Assert.Single(TestBatches.ReadAll(batch, checkCrcs: false));
        Assert.Throws<KafkaException>(() => TestBatches.ReadAll(batch, checkCrcs: true));
    }

    [Fact]
    public void ZeroCrcIsToleratedOnControlBatchesOnly()
    {
        byte[] control = TestBatches.ControlBatch(ControlRecordType.Commit, 5, 1, zeroCrc: true);
        var reader = new RecordBatchReader(control, "t", 0, checkCrcs: true);
        Assert.True(reader.TryReadNext(out RecordBatch batch));
        Assert.True(batch.Header.IsControl);
        Assert.Equal(0u, batch.Header.Crc);

        byte[] data = TestBatches.Simple(1);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(RecordBatchHeader.CrcOffset), 0);
        KafkaException e = Assert.Throws<KafkaException>(() => TestBatches.ReadAll(data));
        Assert.Equal(ErrorCode.LocalCrc, e.Error);
    }

    [Fact]
    public void PartialTrailingBatchIsIgnoredAtEveryCut()
    {
        byte[] first = TestBatches.Simple(3, 0);
        byte[] second = TestBatches.Simple(4, 3);
        byte[] set = TestBatches.Concat(first, second);
        for (int cut = 1; cut < second.Length; cut++)
        {
            byte[] truncated = set[..(first.Length + cut)];
            var reader = new RecordBatchReader(truncated, "t", 0);
            Assert.True(reader.TryReadNext(out RecordBatch batch));
            Assert.Equal(3, batch.Header.RecordCount);
            Assert.False(reader.TryReadNext(out _));
            Assert.True(reader.HasPartialBatch);
            Assert.Equal(first.Length, reader.BytesConsumed);
        }
    }

    [Fact]
    public void OnlyAPartialBatchYieldsNothing()
    {
        byte[] batch = TestBatches.Simple(2);
        var reader = new RecordBatchReader(batch.AsMemory(0, 30), "t", 0);
        Assert.False(reader.TryReadNext(out _));
        Assert.True(reader.HasPartialBatch);
        Assert.Equal(0, reader.BytesConsumed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void LegacyMessageSetsGetAClearError(byte magic)
    {
        // offset, message size, crc, magic, attributes, [timestamp], key -1, value "a"
        byte[] legacy = Convert.FromHexString("0000000000000000" + "00000014" + "00000000" + "0" + magic + "00" + "FFFFFFFF" + "0000000161" + "000000");
        KafkaException e = Assert.Throws<KafkaException>(() => new RecordBatchReader(legacy, "old", 2).TryReadNext(out _));
        Assert.Equal(ErrorCode.LocalUnsupportedFeature, e.Error);
        Assert.Contains("magic " + magic, e.Message, StringComparison.Ordinal);
        Assert.Contains("old [2]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchLengthBelowTheHeaderIsAProtocolError()
    {
        byte[] batch = TestBatches.Simple(1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), 20);
        Assert.Throws<ProtocolException>(() => new RecordBatchReader(batch, "t", 0).TryReadNext(out _));
    }

    [Fact]
    public void RecordLongerThanItsBatchIsAProtocolError()
    {
        byte[] batch = WithRecords(1, [0x7E, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00]);
        Assert.Contains("record length", Read(batch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyLongerThanItsRecordIsAProtocolError()
    {
        // length 6: attributes, ts 0, offset 0, key length 50 (0x64) ...
        byte[] batch = WithRecords(1, [0x0C, 0x00, 0x00, 0x00, 0x64, 0x01, 0x00]);
        Assert.Contains("key length 50", Read(batch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeLengthsOtherThanNullAreAProtocolError()
    {
        byte[] batch = WithRecords(1, [0x0C, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00]); // key length -2
        Assert.Contains("key length -2", Read(batch).Message, StringComparison.Ordinal);
        batch = WithRecords(1, [0x0E, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x01, 0x00]); // header key length -1
        Assert.Contains("header key length -1", Read(batch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldsNotFillingTheRecordLengthAreAProtocolError()
    {
        byte[] batch = WithRecords(1, [0x0E, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00]); // says 7, uses 6
        Assert.Contains("length says 7", Read(batch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FewerRecordsThanAnnouncedIsAProtocolError()
    {
        byte[] batch = WithRecords(2, [0x0C, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00]);
        Assert.Contains("Truncated record", Read(batch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesAfterTheLastRecordAreAProtocolError()
    {
        byte[] batch = WithRecords(1, [0x0C, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00]);
        Assert.Contains("bytes after", Read(batch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlongVarintIsAProtocolError()
    {
        byte[] batch = WithRecords(1, [0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00]);
        Assert.Contains("too long", Read(batch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OffsetDeltaPastTheLastOffsetIsAProtocolError()
    {
        byte[] batch = WithRecords(1, [0x0C, 0x00, 0x00, 0x04, 0x01, 0x01, 0x00]); // offset delta 2, last delta 0
        Assert.Contains("offset delta 2", Read(batch).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompressedBatchRecordsCannotBeReadInPlace()
    {
        byte[] batch = TestBatches.Simple(1);
        batch[RecordBatchHeader.AttributesOffset + 1] = 1;
        RecordBatchHeader.WriteCrc(batch);
        KafkaException e = Assert.Throws<KafkaException>(() => RecordBatch.Parse(batch).GetRecordReader());
        Assert.Equal(ErrorCode.LocalBadCompression, e.Error);
    }

    private static ProtocolException Read(byte[] batch) =>
        Assert.Throws<ProtocolException>(() => TestBatches.ReadAll(batch));

    /// <summary>A valid header (lastOffsetDelta = count - 1) around hand-written record bytes.</summary>
    private static byte[] WithRecords(int count, byte[] records)
    {
        byte[] batch = new byte[RecordBatchHeader.Size + records.Length];
        new RecordBatchHeader(0, RecordBatchHeader.MinBatchLength + records.Length, -1, 2, 0, 0, count - 1, 1000, 1000, -1, -1, -1, count).Write(batch);
        records.CopyTo(batch, RecordBatchHeader.Size);
        RecordBatchHeader.WriteCrc(batch);
        return batch;
    }
}
