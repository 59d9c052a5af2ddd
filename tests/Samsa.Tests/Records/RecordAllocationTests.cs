using Samsa.Protocol.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Tests.Records;

/// <summary>The hot paths allocate nothing per record once warmed up.</summary>
public sealed class RecordAllocationTests
{
    [Fact]
    public void AppendingAllocatesNothingInSteadyState()
    {
        using var builder = new RecordBatchBuilder(1024);
        byte[] key = new byte[16];
        byte[] value = new byte[200];
        RecordHeader[] headers = [new("trace-id", new byte[16]), RecordHeader.FromUtf8("k"u8.ToArray(), new byte[4]), new("gone", default, true)];

        Fill(builder, key, value, headers); // warm-up: the buffer grows to the batch size, code is jitted
        Fill(builder, key, value, headers);
        long allocated = AllocationMeter.Fewest(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                Fill(builder, key, value, headers);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ReadingRecordsAndHeadersAllocatesNothing()
    {
        using var builder = new RecordBatchBuilder();
        RecordHeader[] headers = [new("a", new byte[3]), new("b", default, true)];
        for (int i = 0; i < 500; i++)
        {
            Assert.True(builder.TryAppend(i, new byte[8], false, new byte[100], false, headers, int.MaxValue));
        }

        ReadOnlyMemory<byte> batch = builder.Finish(new RecordBatchProducerFields(1, 0, 0)).ToArray();
        long sum = Iterate(batch); // warm-up
        int rounds = 0;
        long allocated = AllocationMeter.Fewest(() =>
        {
            rounds++;
            for (int i = 0; i < 10; i++)
            {
                sum += Iterate(batch);
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal((1 + (10 * rounds)) * 500 * (8 + 100 + 3 + 2), sum);
    }

    private static void Fill(RecordBatchBuilder builder, byte[] key, byte[] value, RecordHeader[] headers)
    {
        builder.Reset();
        for (int i = 0; i < 1000; i++)
        {
            if (!builder.TryAppend(1_700_000_000_000 + i, key, false, value, false, headers, 1 << 20))
            {
                throw new InvalidOperationException("batch full");
            }
        }

        _ = builder.Finish(new RecordBatchProducerFields(5, 1, 0));
    }

    private static long Iterate(ReadOnlyMemory<byte> recordSet)
    {
        long sum = 0;
        var reader = new RecordBatchReader(recordSet, null, 0, checkCrcs: true);
        while (reader.TryReadNext(out RecordBatch batch))
        {
            RecordReader records = batch.GetRecordReader();
            while (records.TryReadNext(out Record r))
            {
                sum += r.Key.Length + r.Value.Length;
                foreach (RecordHeaderView h in r.Headers)
                {
                    sum += h.Key.Length + h.Value.Length;
                }
            }
        }

        return sum;
    }
}
