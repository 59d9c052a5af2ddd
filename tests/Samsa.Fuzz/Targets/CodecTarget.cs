using Samsa.Buffers;
using Samsa.Compression;

namespace Samsa.Fuzz;

/// <summary>
/// The decompressors alone, where AFL gets at them without building a batch around its bytes. Input: one byte
/// choosing the codec (gzip, snappy, lz4, zstd by value modulo 4), then the compressed records region as a batch
/// carries it (Kafka's framings: xerial or raw snappy, LZ4 frame). Allowed: output within the cap, or a
/// KafkaException (LocalBadCompression).
/// </summary>
internal sealed class CodecTarget : FuzzTarget
{
    public static readonly CompressionType[] Codecs =
        [CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    private readonly PooledBufferWriter _output = new(0);

    public override string Name => "codecs";

    public override FuzzOutcome Execute(byte[] input)
    {
        if (input.Length < 1)
        {
            return FuzzOutcome.Ignored;
        }

        ICompressionCodec codec = CompressionCodecs.Get(Codecs[input[0] % Codecs.Length]);
        try
        {
            int written = codec.Decompress(input.AsMemory(1), _output, FuzzLimits.MaxDecompressed);
            if (written != _output.WrittenCount || written > FuzzLimits.MaxDecompressed)
            {
                throw new FuzzFailure($"{codec.Type} reported {written} bytes, wrote {_output.WrittenCount}, cap {FuzzLimits.MaxDecompressed}");
            }

            return FuzzOutcome.Decoded;
        }
        catch (KafkaException)
        {
            return FuzzOutcome.Rejected;
        }
        finally
        {
            _output.Reset();
        }
    }

    public override long AllocationBound(int length) => (long)FuzzLimits.AllocationPerInputByte * length + FuzzLimits.RecordSlack;
}
