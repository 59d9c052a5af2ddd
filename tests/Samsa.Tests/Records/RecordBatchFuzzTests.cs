using Samsa.Protocol.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Tests.Records;

/// <summary>Random damage to valid record sets: the only failures allowed are the client's own exceptions.</summary>
public sealed class RecordBatchFuzzTests
{
    [Fact]
    public void MutatedBatchesFailOnlyWithKafkaExceptions()
    {
        byte[] valid = TestBatches.Concat(
            TestBatches.Simple(5, 10),
            TestBatches.ControlBatch(ControlRecordType.Commit, 15, 2),
            TestBatches.Simple(3, 16));
        var random = new Random(12345);
        int failures = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] mutated = Mutate(valid, random);
            try
            {
                Drain(mutated, checkCrcs: i % 4 == 0);
            }
            catch (KafkaException)
            {
                failures++;
            }
        }

        // Most mutations must be caught (CRC off in 3/4 of the runs, so many land in record bytes).
        Assert.True(failures > 1000, $"only {failures} of 5000 mutations were detected");
    }

    internal static void Drain(ReadOnlyMemory<byte> recordSet, bool checkCrcs)
    {
        var reader = new RecordBatchReader(recordSet, "fuzz", 0, checkCrcs);
        while (reader.TryReadNext(out RecordBatch batch))
        {
            if (batch.Header.IsCompressed)
            {
                continue;
            }

            RecordReader records = batch.GetRecordReader();
            while (records.TryReadNext(out Record record))
            {
                _ = record.Key.Length + record.Value.Length;
                foreach (RecordHeaderView h in record.Headers)
                {
                    _ = h.Key.Length + h.Value.Length;
                }

                if (batch.Header.IsControl)
                {
                    _ = ControlRecord.Parse(record);
                }
            }
        }
    }

    internal static byte[] Mutate(byte[] source, Random random)
    {
        byte[] data = (byte[])source.Clone();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(5))
            {
                case 0:
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                    break;
                case 2:
                    data[random.Next(data.Length)] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x80;
                    break;
                case 3:
                    data = data[..random.Next(data.Length)];
                    if (data.Length == 0)
                    {
                        return data;
                    }

                    break;
                default:
                    // Only record bytes: past the first header, so batch framing usually survives.
                    int at = RecordBatchHeader.Size + random.Next(Math.Max(1, data.Length - RecordBatchHeader.Size));
                    if (at < data.Length)
                    {
                        data[at] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return data;
    }
}
