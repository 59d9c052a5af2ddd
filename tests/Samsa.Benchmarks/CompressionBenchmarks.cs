using BenchmarkDotNet.Attributes;
using Samsa.Buffers;
using Samsa.Compression;
using Samsa.Protocol.Records;

namespace Samsa.Benchmarks;

/// <summary>
/// Each codec on a batch's records region (1000 records of 100 B of text-like data), both ways, into pooled
/// buffers that are reused: the codec's own cost and what it allocates per batch.
/// </summary>
[MemoryDiagnoser]
public class CompressionBenchmarks
{
    private readonly PooledBufferWriter _compressed = new(256 * 1024);
    private readonly PooledBufferWriter _decompressed = new(256 * 1024);
    private byte[] _records = [];
    private byte[] _compressedCopy = [];
    private ICompressionCodec _codec = null!;

    [Params(CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd)]
    public CompressionType Codec { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _codec = CompressionCodecs.Get(Codec);
        using var builder = new RecordBatchBuilder(256 * 1024);
        var random = new Random(7);
        byte[] value = new byte[100];
        for (int i = 0; i < 1000; i++)
        {
            for (int j = 0; j < value.Length; j++)
            {
                value[j] = (byte)('a' + random.Next(12)); // compressible, as JSON-ish payloads are
            }

            builder.TryAppend(1_700_000_000_000 + i, default, true, value, false, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue);
        }

        _records = builder.Records.ToArray();
        _compressed.Reset();
        _codec.Compress(_records, _compressed);
        _compressedCopy = _compressed.WrittenSpan.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _compressed.Dispose();
        _decompressed.Dispose();
    }

    [Benchmark]
    public int Compress()
    {
        _compressed.Reset();
        return _codec.Compress(_records, _compressed);
    }

    [Benchmark]
    public int Decompress()
    {
        _decompressed.Reset();
        return _codec.Decompress(_compressedCopy, _decompressed, 1 << 24);
    }
}
