using BenchmarkDotNet.Attributes;

namespace Samsa.Benchmarks;

/// <summary>Choosing a partition for keyed and unkeyed records with each partitioner (no allocation).</summary>
[MemoryDiagnoser]
public class PartitionerBenchmarks
{
    private const int Keys = 1024;
    private readonly byte[][] _keys = new byte[Keys][];
    private IPartitioner _partitioner = null!;

    [Params(Partitioner.ConsistentRandom, Partitioner.Murmur2Random, Partitioner.Random)]
    public Partitioner Kind { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Keys; i++)
        {
            _keys[i] = System.Text.Encoding.UTF8.GetBytes("customer-" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture));
        }

        _partitioner = PartitionerFactory.Create(Kind);
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "17-byte key")]
    public int Keyed()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            sum += _partitioner.Partition("bench", _keys[i], false, 256);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "null key")]
    public int Unkeyed()
    {
        int sum = 0;
        for (int i = 0; i < Keys; i++)
        {
            sum += _partitioner.Partition("bench", default, true, 256);
        }

        return sum;
    }
}
