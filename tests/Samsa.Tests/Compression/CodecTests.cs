using Samsa.Buffers;
using Samsa.Compression;

namespace Samsa.Tests.Compression;

public sealed class CodecTests
{
    public static TheoryData<CompressionType, int> CodecsAndLevels() => new()
    {
        { CompressionType.Gzip, -1 }, { CompressionType.Gzip, 0 }, { CompressionType.Gzip, 1 }, { CompressionType.Gzip, 9 },
        { CompressionType.Snappy, -1 },
        { CompressionType.Lz4, -1 }, { CompressionType.Lz4, 0 }, { CompressionType.Lz4, 3 }, { CompressionType.Lz4, 9 }, { CompressionType.Lz4, 12 }, { CompressionType.Lz4, 17 },
        { CompressionType.Zstd, -1 }, { CompressionType.Zstd, -5 }, { CompressionType.Zstd, 1 }, { CompressionType.Zstd, 10 }, { CompressionType.Zstd, 19 },
    };

    [Theory]
    [MemberData(nameof(CodecsAndLevels))]
    public void RoundTrips(CompressionType type, int level)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        Assert.Equal(type, codec.Type);
        (byte[] Data, bool Compressible)[] inputs =
        [
            ([], false), ([42], false), (TestData.Text(100_000), true), (TestData.Random(70_000), false),
            (TestData.Text(1_000_000), true), (TestData.Repeating(300_000, 3), true),
        ];
        foreach (var (input, compressible) in inputs)
        {
            byte[] compressed = Compress(codec, input, level);
            if (compressible && level != 0)
            {
                Assert.True(compressed.Length < input.Length / 2, $"{type} level {level}: {input.Length} -> {compressed.Length}");
            }

            Assert.Equal(input, Decompress(codec, compressed, input.Length));
        }
    }

    [Theory]
    [InlineData(CompressionType.Gzip, 1, 9)]
    [InlineData(CompressionType.Lz4, 0, 9)]
    [InlineData(CompressionType.Zstd, 1, 19)]
    public void HigherLevelsCompressSmaller(CompressionType type, int low, int high)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] input = TestData.Text(500_000);
        int lowSize = Compress(codec, input, low).Length;
        int highSize = Compress(codec, input, high).Length;
        Assert.True(highSize < lowSize, $"{type}: level {low} gave {lowSize} bytes, level {high} gave {highSize}");
    }

    [Fact]
    public void GzipLevelZeroStores()
    {
        byte[] input = TestData.Text(50_000);
        Assert.True(Compress(GzipCodec.Instance, input, 0).Length > input.Length);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void DecompressionBombIsRefused(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] zeros = new byte[8 * 1024 * 1024];
        byte[] compressed = Compress(codec, zeros, -1);
        Assert.True(compressed.Length < zeros.Length / 20);

        using var output = new PooledBufferWriter(0);
        KafkaException e = Assert.Throws<KafkaException>(() => codec.Decompress(compressed, output, 1024 * 1024));
        Assert.Equal(ErrorCode.LocalBadCompression, e.Error);
        Assert.Contains("more than the 1048576 bytes allowed", e.Message, StringComparison.Ordinal);
        Assert.True(output.Capacity <= 8 * 1024 * 1024, $"{output.Capacity} bytes were allocated for a 1 MiB limit");

        // Exactly at the limit is fine.
        Assert.Equal(zeros.Length, Decompress(codec, compressed, zeros.Length).Length);
        Assert.Throws<KafkaException>(() => Decompress(codec, compressed, zeros.Length - 1));
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void DamagedDataFailsWithKafkaExceptionsOnly(CompressionType type)
    {
        ICompressionCodec codec = CompressionCodecs.Get(type);
        byte[] input = TestData.Text(20_000);
        byte[] compressed = Compress(codec, input, -1);
        var random = new Random((int)type);
        int detected = 0;
        for (int i = 0; i < 400; i++)
        {
            byte[] damaged = (byte[])compressed.Clone();
            if (i % 5 == 0)
            {
                damaged = damaged[..random.Next(damaged.Length)];
            }
            else
            {
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
                }
            }

            using var output = new PooledBufferWriter(0);
            try
            {
                codec.Decompress(damaged, output, 1_000_000);
            }
            catch (KafkaException e)
            {
                Assert.Equal(ErrorCode.LocalBadCompression, e.Error);
                detected++;
            }
        }

        Assert.True(detected > 50, $"{type}: only {detected} of 400 damaged inputs were detected");
    }

    [Fact]
    public void EmptyOrGarbageInputIsRejected()
    {
        foreach (CompressionType type in new[] { CompressionType.Gzip, CompressionType.Lz4, CompressionType.Zstd })
        {
            using var output = new PooledBufferWriter(0);
            Assert.Throws<KafkaException>(() => CompressionCodecs.Get(type).Decompress(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }, output, 1000));
            Assert.Throws<KafkaException>(() => CompressionCodecs.Get(type).Decompress(ReadOnlyMemory<byte>.Empty, output, 1000));
        }
    }

    internal static byte[] Compress(ICompressionCodec codec, byte[] input, int level)
    {
        using var output = new PooledBufferWriter(0);
        int n = codec.Compress(input, output, level);
        Assert.Equal(output.WrittenCount, n);
        return output.WrittenSpan.ToArray();
    }

    internal static byte[] Decompress(ICompressionCodec codec, byte[] compressed, int max)
    {
        using var output = new PooledBufferWriter(16);
        output.Write([0xEE]); // output is appended, not overwritten
        int n = codec.Decompress(compressed, output, max);
        Assert.Equal(output.WrittenCount - 1, n);
        Assert.Equal(0xEE, output.WrittenSpan[0]);
        return output.WrittenSpan[1..].ToArray();
    }
}
