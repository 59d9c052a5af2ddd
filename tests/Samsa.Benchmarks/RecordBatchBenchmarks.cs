using BenchmarkDotNet.Attributes;
using Samsa.Protocol.Records;

namespace Samsa.Benchmarks;

/// <summary>
/// Encoding a batch of 100-byte records (builder append + finish with CRC) and the consumer's side: walking a
/// fetched record set batch by batch and record by record, CRC checked. Neither may allocate per record.
/// </summary>
[MemoryDiagnoser]
public class RecordBatchBenchmarks
{
    private const int RecordsPerBatch = 1000;
    private const int Batches = 16;
    private readonly byte[] _value = new byte[100];
    private readonly byte[] _key = "key-0001"u8.ToArray();
    private RecordBatchBuilder _builder = null!;
    private ReadOnlyMemory<byte> _recordSet;

    [GlobalSetup]
    public void Setup()
    {
        _builder = new RecordBatchBuilder(256 * 1024);
        var set = new List<byte>();
        for (int b = 0; b < Batches; b++)
        {
            Encode();
            set.AddRange(_builder.Finish(RecordBatchProducerFields.None).ToArray());
        }

        _recordSet = set.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _builder.Dispose();

    [Benchmark(OperationsPerInvoke = RecordsPerBatch, Description = "encode 1000 x 100 B (per record)")]
    public int Encode()
    {
        _builder.Reset();
        long timestamp = 1_700_000_000_000;
        for (int i = 0; i < RecordsPerBatch; i++)
        {
            _builder.TryAppend(timestamp + i, _key, false, _value, false, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue);
        }

        return _builder.Finish(RecordBatchProducerFields.None).Length;
    }

    [Benchmark(OperationsPerInvoke = RecordsPerBatch * Batches, Description = "iterate fetched records, CRC on (per record)")]
    public long Iterate()
    {
        long sum = 0;
        foreach (RecordBatch batch in new RecordBatchReader(_recordSet, "bench", 0, checkCrcs: true))
        {
            foreach (Record record in batch.GetRecordReader())
            {
                sum += record.Offset + record.Value.Length;
            }
        }

        return sum;
    }
}
