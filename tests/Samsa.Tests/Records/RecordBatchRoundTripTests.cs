using System.Text;
using Samsa.Protocol.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Tests.Records;

public sealed class RecordBatchRoundTripTests
{
    [Fact]
    public void KeysAndValuesNullEmptyAndLarge()
    {
        byte[] large = new byte[300_000];
        new Random(1).NextBytes(large);
        var cases = new (byte[]? Key, byte[]? Value)[]
        {
            (null, null),
            ([], []),
            (null, [1, 2, 3]),
            ([9], null),
            (large, large[..1000]),
            ([], large),
        };

        using var builder = new RecordBatchBuilder(64);
        long ts = 1_700_000_000_000;
        for (int i = 0; i < cases.Length; i++)
        {
            var (k, v) = cases[i];
            Assert.True(builder.TryAppend(ts - (i * 3), k, k is null, v, v is null, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue));
        }

        Assert.Equal(cases.Length, builder.Count);
        Assert.Equal(ts, builder.FirstTimestamp);
        Assert.Equal(ts, builder.MaxTimestamp);
        byte[] batch = builder.Finish(new RecordBatchProducerFields(1234, 5, 100, isTransactional: true, partitionLeaderEpoch: 9)).ToArray();

        RecordBatch parsed = RecordBatch.Parse(batch);
        Assert.Equal(1234, parsed.Header.ProducerId);
        Assert.Equal(5, parsed.Header.ProducerEpoch);
        Assert.Equal(100, parsed.Header.BaseSequence);
        Assert.Equal(9, parsed.Header.PartitionLeaderEpoch);
        Assert.True(parsed.Header.IsTransactional);
        Assert.Equal(cases.Length - 1, parsed.Header.LastOffsetDelta);
        Assert.Equal(RecordBatchHeader.ComputeCrc(batch), parsed.Header.Crc);

        int n = 0;
        foreach (Record r in parsed.GetRecordReader())
        {
            var (k, v) = cases[n];
            Assert.Equal(n, r.Offset);
            Assert.Equal(ts - (n * 3), r.Timestamp);
            Assert.Equal(k is null, r.KeyIsNull);
            Assert.Equal(v is null, r.ValueIsNull);
            Assert.Equal(k ?? [], r.Key.ToArray());
            Assert.Equal(v ?? [], r.Value.ToArray());
            n++;
        }

        Assert.Equal(cases.Length, n);
    }

    [Fact]
    public void HeadersRoundTripWithStringAndUtf8KeysAndNullValues()
    {
        RecordHeader[] headers =
        [
            new("plain", "v1"u8.ToArray()),
            new("ключ-☃", ReadOnlyMemory<byte>.Empty),
            new("nothing", default, valueIsNull: true),
            RecordHeader.FromUtf8("pre"u8.ToArray(), new byte[1000]),
        ];
        using var builder = new RecordBatchBuilder();
        Assert.True(builder.TryAppend(1, "k"u8, false, "v"u8, false, headers, int.MaxValue));
        RecordBatch parsed = RecordBatch.Parse(builder.Finish(RecordBatchProducerFields.None));
        RecordReader reader = parsed.GetRecordReader();
        Assert.True(reader.TryReadNext(out Record record));
        Assert.Equal(4, record.Headers.Count);
        var seen = new List<(string Key, byte[]? Value)>();
        foreach (RecordHeaderView h in record.Headers)
        {
            seen.Add((h.GetKeyString(), h.ValueIsNull ? null : h.Value.ToArray()));
        }

        Assert.Equal("plain", seen[0].Key);
        Assert.Equal("v1"u8.ToArray(), seen[0].Value!);
        Assert.Equal("ключ-☃", seen[1].Key);
        Assert.Equal([], seen[1].Value!);
        Assert.Equal("nothing", seen[2].Key);
        Assert.Null(seen[2].Value);
        Assert.Equal("pre", seen[3].Key);
        Assert.Equal(1000, seen[3].Value!.Length);

        // Pre-encoded headers (e.g. forwarded from a consumed record) give the same bytes.
        using var copy = new RecordBatchBuilder();
        Assert.True(copy.TryAppend(1, "k"u8, false, "v"u8, false, record.Headers.Encoded.Span, record.Headers.Count, int.MaxValue));
        Assert.Equal(
            Convert.ToHexString(builder.Finish(RecordBatchProducerFields.None).Span),
            Convert.ToHexString(copy.Finish(RecordBatchProducerFields.None).Span));
    }

    [Fact]
    public void FirstRecordIsAlwaysTakenThenTheLimitApplies()
    {
        using var builder = new RecordBatchBuilder();
        byte[] big = new byte[2000];
        Assert.True(builder.TryAppend(1, default, true, big, false, ReadOnlySpan<RecordHeader>.Empty, 100));
        Assert.False(builder.TryAppend(2, default, true, "x"u8, false, ReadOnlySpan<RecordHeader>.Empty, 100));
        Assert.Equal(1, builder.Count);

        builder.Reset();
        Assert.Equal(0, builder.Count);
        Assert.Equal(RecordBatchHeader.Size, builder.SizeInBytes);
        int limit = RecordBatchHeader.Size + 20;
        int appended = 0;
        while (builder.TryAppend(1, default, true, "abcd"u8, false, ReadOnlySpan<RecordHeader>.Empty, limit))
        {
            appended++;
        }

        // Each record here takes 11 bytes: 61 + 11 = 72 <= 81, 61 + 22 = 83 > 81.
        Assert.Equal(1, appended);
        Assert.True(builder.SizeInBytes <= limit);
    }

    [Fact]
    public void ManyBatchesInOneRecordSet()
    {
        byte[] set = TestBatches.Concat(TestBatches.Simple(3, 100), TestBatches.Simple(2, 103), TestBatches.Simple(1, 105));
        var all = TestBatches.ReadAll(set);
        Assert.Equal([100L, 101, 102, 103, 104, 105], all.Select(r => r.Offset).ToArray());
        Assert.Equal("key-1", all[4].Key);
        Assert.Equal("value-0", all[5].Value);
    }

    [Fact]
    public void EmptyRecordSetYieldsNothing()
    {
        var reader = new RecordBatchReader(ReadOnlyMemory<byte>.Empty, "t", 1);
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.HasPartialBatch);
    }

    [Fact]
    public void FinishingAnEmptyBuilderIsRefused()
    {
        using var builder = new RecordBatchBuilder();
        Assert.Throws<InvalidOperationException>(() => builder.Finish(RecordBatchProducerFields.None));
    }

    [Fact]
    public void ControlRecordsParse()
    {
        byte[] set = TestBatches.Concat(
            TestBatches.Simple(2, 10),
            TestBatches.ControlBatch(ControlRecordType.Commit, 12, coordinatorEpoch: 4),
            TestBatches.ControlBatch(ControlRecordType.Abort, 13, coordinatorEpoch: 5));
        var reader = new RecordBatchReader(set, "t", 0);
        var markers = new List<ControlRecord>();
        int dataRecords = 0;
        while (reader.TryReadNext(out RecordBatch batch))
        {
            foreach (Record r in batch.GetRecordReader())
            {
                if (batch.Header.IsControl)
                {
                    Assert.True(batch.Header.IsTransactional);
                    Assert.Equal(77, batch.Header.ProducerId);
                    markers.Add(ControlRecord.Parse(r));
                }
                else
                {
                    dataRecords++;
                }
            }
        }

        Assert.Equal(2, dataRecords);
        Assert.Equal(2, markers.Count);
        Assert.Equal(ControlRecordType.Commit, markers[0].Type);
        Assert.Equal(4, markers[0].CoordinatorEpoch);
        Assert.Equal(0, markers[0].Version);
        Assert.True(markers[0].IsTransactionMarker);
        Assert.Equal(ControlRecordType.Abort, markers[1].Type);
        Assert.Equal(5, markers[1].CoordinatorEpoch);
    }

    [Fact]
    public void ControlRecordWithShortKeyIsAProtocolError()
    {
        using var builder = new RecordBatchBuilder();
        Assert.True(builder.TryAppend(1, "ab"u8, false, default, true, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue));
        RecordReader reader = RecordBatch.Parse(builder.Finish(RecordBatchProducerFields.None)).GetRecordReader();
        Assert.True(reader.TryReadNext(out Record r));
        Assert.Throws<ProtocolException>(() => ControlRecord.Parse(r));
    }

    [Fact]
    public void UnicodeKeyStringsUseUtf8()
    {
        RecordHeader[] headers = [new("é", "x"u8.ToArray())];
        using var builder = new RecordBatchBuilder();
        Assert.True(builder.TryAppend(1, default, true, default, true, headers, int.MaxValue));
        RecordReader reader = RecordBatch.Parse(builder.Finish(RecordBatchProducerFields.None)).GetRecordReader();
        Assert.True(reader.TryReadNext(out Record r));
        foreach (RecordHeaderView h in r.Headers)
        {
            Assert.Equal(Encoding.UTF8.GetBytes("é"), h.Key.ToArray());
        }
    }
}
