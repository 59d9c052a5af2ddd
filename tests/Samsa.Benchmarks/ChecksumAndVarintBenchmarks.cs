using BenchmarkDotNet.Attributes;
using Samsa.Protocol;

namespace Samsa.Benchmarks;

/// <summary>CRC-32C over a record batch's bytes (every batch sent and, by default, every batch fetched).</summary>
[MemoryDiagnoser]
public class Crc32CBenchmarks
{
    private byte[] _data = [];

    [Params(1024, 65536)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Bytes];
        new Random(7).NextBytes(_data);
    }

    [Benchmark]
    public uint Compute() => Crc32C.Compute(_data);
}

/// <summary>Zig-zag varints, as every record's lengths, deltas and header counts are written and read.</summary>
[MemoryDiagnoser]
public class VarintBenchmarks
{
    private const int Count = 1024;
    private readonly long[] _values = new long[Count];
    private readonly byte[] _buffer = new byte[Count * 10];
    private int _written;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        for (int i = 0; i < Count; i++)
        {
            // Mostly small (lengths, deltas), some large (timestamps): the mix in record batches.
            _values[i] = (i % 8) switch
            {
                0 => random.NextInt64(),
                1 => -random.Next(1000),
                _ => random.Next(300),
            };
        }

        _written = Write();
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int Write()
    {
        int p = 0;
        for (int i = 0; i < _values.Length; i++)
        {
            p += Varint.Write(_buffer.AsSpan(p), _values[i]);
        }

        return p;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public long Read()
    {
        long sum = 0;
        int p = 0;
        ReadOnlySpan<byte> span = _buffer.AsSpan(0, _written);
        for (int i = 0; i < Count; i++)
        {
            p += Varint.TryRead(span[p..], out long v);
            sum += v;
        }

        return sum;
    }
}
