using System.Buffers.Binary;
using Samsa.Buffers;
using Samsa.Compression;

namespace Samsa.Tests.Compression;

/// <summary>Framing details: snappy raw/xerial, LZ4 frame options, zstd without content size, gzip members.</summary>
public sealed class FormatTests
{
    [Fact]
    public void SnappyWritesXerialFramingLikeTheJavaClient()
    {
        byte[] input = TestData.Text(100_000);
        byte[] framed = CodecTests.Compress(SnappyCodec.Instance, input, -1);
        Assert.Equal(Convert.FromHexString("82534E41505059000000000100000001"), framed[..16]);

        // Chunks: [int32 BE length][raw snappy block], each block holding at most 32 KiB of input.
        int pos = 16, chunks = 0, total = 0;
        while (pos < framed.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(pos));
            byte[] block = framed.AsSpan(pos + 4, length).ToArray();
            byte[] plain = Snappier.Snappy.DecompressToArray(block);
            Assert.True(plain.Length <= SnappyCodec.XerialChunkSize);
            Assert.Equal(input.AsSpan(total, plain.Length).ToArray(), plain);
            total += plain.Length;
            pos += 4 + length;
            chunks++;
        }

        Assert.Equal(input.Length, total);
        Assert.Equal(4, chunks);
    }

    [Fact]
    public void SnappyReadsRawBlocks()
    {
        byte[] input = TestData.Text(150_000);
        byte[] raw = Snappier.Snappy.CompressToArray(input);
        Assert.False(SnappyCodec.IsXerialFramed(raw));
        Assert.Equal(input, CodecTests.Decompress(SnappyCodec.Instance, raw, input.Length));

        using var writer = new PooledBufferWriter(0);
        SnappyCodec.CompressRaw(input, writer);
        Assert.Equal(input, CodecTests.Decompress(SnappyCodec.Instance, writer.WrittenSpan.ToArray(), input.Length));
    }

    [Fact]
    public void SnappyReadsHandMadeXerialStreamsWithUnevenChunks()
    {
        byte[] input = TestData.Text(90_000);
        var framed = new List<byte>(Convert.FromHexString("82534E41505059000000000100000001"));
        int[] cuts = [0, 1, 5000, 5001, 70_000, 90_000];
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            byte[] block = Snappier.Snappy.CompressToArray(input.AsSpan(cuts[i], cuts[i + 1] - cuts[i]));
            byte[] length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, block.Length);
            framed.AddRange(length);
            framed.AddRange(block);
        }

        Assert.Equal(input, CodecTests.Decompress(SnappyCodec.Instance, framed.ToArray(), input.Length));
    }

    [Fact]
    public void SnappyXerialChunkPastTheEndIsAnError()
    {
        byte[] framed = CodecTests.Compress(SnappyCodec.Instance, TestData.Text(1000), -1);
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(16), framed.Length);
        using var output = new PooledBufferWriter(0);
        KafkaException e = Assert.Throws<KafkaException>(() => SnappyCodec.Instance.Decompress(framed, output, 1 << 20));
        Assert.Contains("runs past the end", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lz4-linked-64k.lz4")] // dependent blocks, content checksum (the lz4 tool's default)
    [InlineData("lz4-blockcrc-contentsize.lz4")] // block checksums, content size
    [InlineData("lz4-256k-nocrc.lz4")] // 256 KiB blocks, no checksum
    [InlineData("lz4-hc-linked-blockcrc.lz4")] // HC level 9, dependent blocks, both checksums
    public void Lz4ReadsFramesMadeByTheLz4Tool(string file) =>
        Assert.Equal(TestData.FileContent, CodecTests.Decompress(Lz4Codec.Instance, TestData.File(file), 1 << 20));

    [Fact]
    public void Lz4LinkedFrameReallyLinksBlocks()
    {
        byte[] frame = TestData.File("lz4-linked-64k.lz4");
        Assert.Equal(0, frame[4] & 0x20); // B.Indep clear
        Assert.NotEqual(0, frame[4] & 0x04); // content checksum
    }

    [Theory]
    [InlineData(4, false, false, false)]
    [InlineData(4, true, true, true)]
    [InlineData(5, true, false, false)]
    [InlineData(6, false, true, false)]
    [InlineData(7, false, false, true)]
    public void Lz4FrameOptionsRoundTrip(int blockSizeId, bool blockChecksum, bool contentChecksum, bool contentSize)
    {
        byte[] input = TestData.Text(600_000);
        var options = new Lz4FrameOptions(blockSizeId, blockChecksum, contentChecksum, contentSize);
        using var writer = new PooledBufferWriter(0);
        Lz4Codec.Compress(input, writer, 0, options);
        byte[] frame = writer.WrittenSpan.ToArray();
        Assert.Equal(0x184D2204u, BinaryPrimitives.ReadUInt32LittleEndian(frame));
        Assert.Equal(blockSizeId << 4, frame[5]);
        Assert.Equal(input, CodecTests.Decompress(Lz4Codec.Instance, frame, input.Length));
    }

    [Fact]
    public void Lz4DefaultFrameIsJavaCompatible()
    {
        byte[] frame = CodecTests.Compress(Lz4Codec.Instance, TestData.Text(200_000), -1);
        Assert.Equal(0x60, frame[4]); // version 01, independent blocks, no checksums, no content size
        Assert.Equal(0x40, frame[5]); // 64 KiB blocks
        Assert.Equal((byte)(XxHash32.Hash(frame.AsSpan(4, 2)) >> 8), frame[6]);
    }

    [Fact]
    public void Lz4IncompressibleBlocksAreStored()
    {
        byte[] input = TestData.Random(100_000);
        byte[] frame = CodecTests.Compress(Lz4Codec.Instance, input, -1);
        uint firstBlock = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(7));
        Assert.NotEqual(0u, firstBlock & 0x80000000u);
        Assert.Equal(input, CodecTests.Decompress(Lz4Codec.Instance, frame, input.Length));
    }

    [Theory]
    [InlineData(6, "header checksum")]
    [InlineData(-2, "content checksum")]
    public void Lz4ChecksumsAreVerified(int position, string expected)
    {
        byte[] frame = TestData.File("lz4-linked-64k.lz4");
        frame[position < 0 ? frame.Length + position : position] ^= 0x10;
        using var output = new PooledBufferWriter(0);
        KafkaException e = Assert.Throws<KafkaException>(() => Lz4Codec.Instance.Decompress(frame, output, 1 << 20));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lz4BlockChecksumIsVerified()
    {
        byte[] frame = TestData.File("lz4-blockcrc-contentsize.lz4");
        // Header is 4 + 2 + 8 + 1 = 15 bytes; damage the first block's data.
        frame[15 + 4 + 10] ^= 0x01;
        using var output = new PooledBufferWriter(0);
        KafkaException e = Assert.Throws<KafkaException>(() => Lz4Codec.Instance.Decompress(frame, output, 1 << 20));
        Assert.Contains("block checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lz4ReadsConcatenatedAndSkippableFrames()
    {
        byte[] a = CodecTests.Compress(Lz4Codec.Instance, TestData.Text(1000), -1);
        byte[] skippable = [0x53, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9];
        byte[] b = CodecTests.Compress(Lz4Codec.Instance, TestData.Text(2000), -1);
        byte[] all = [.. a, .. skippable, .. b];
        Assert.Equal([.. TestData.Text(1000), .. TestData.Text(2000)], CodecTests.Decompress(Lz4Codec.Instance, all, 10_000));
    }

    [Fact]
    public void Lz4ContentSizeOverTheLimitIsRefusedBeforeDecoding()
    {
        using var writer = new PooledBufferWriter(0);
        Lz4Codec.Compress(new byte[500_000], writer, 0, new Lz4FrameOptions(contentSize: true));
        using var output = new PooledBufferWriter(0);
        KafkaException e = Assert.Throws<KafkaException>(() => Lz4Codec.Instance.Decompress(writer.WrittenSpan.ToArray(), output, 1000));
        Assert.Contains("more than", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData("zstd-streamed-no-size.zst")]
    [InlineData("zstd-with-size.zst")]
    public void ZstdReadsFramesMadeByTheZstdTool(string file) =>
        Assert.Equal(TestData.FileContent, CodecTests.Decompress(ZstdCodec.Instance, TestData.File(file), 1 << 20));

    [Fact]
    public void ZstdStreamedFrameHasNoContentSize()
    {
        byte[] frame = TestData.File("zstd-streamed-no-size.zst");
        Assert.Equal(0, frame[4] & 0xC0); // Frame_Content_Size_flag 0
        Assert.Equal(0, frame[4] & 0x20); // not single segment, so no size at all
    }

    [Fact]
    public void ZstdReadsStreamedFramesLargerThanOneChunkAndConcatenated()
    {
        byte[] input = TestData.Text(700_000);
        byte[] streamed;
        using (var ms = new MemoryStream())
        {
            using (var z = new ZstdSharp.CompressionStream(ms, 5))
            {
                z.Write(input, 0, input.Length);
            }

            streamed = ms.ToArray();
        }

        Assert.Equal(0, streamed[4] & 0xC0);
        Assert.Equal(input, CodecTests.Decompress(ZstdCodec.Instance, streamed, input.Length));
        Assert.Equal([.. input, .. input], CodecTests.Decompress(ZstdCodec.Instance, [.. streamed, .. streamed], input.Length * 2));

        using var output = new PooledBufferWriter(0);
        KafkaException bomb = Assert.Throws<KafkaException>(() => ZstdCodec.Instance.Decompress(streamed, output, 100_000));
        Assert.Contains("more than", bomb.Message, StringComparison.Ordinal);

        using var truncatedOutput = new PooledBufferWriter(0);
        Assert.Throws<KafkaException>(() => ZstdCodec.Instance.Decompress(streamed[..(streamed.Length / 2)], truncatedOutput, input.Length));
    }

    [Fact]
    public void GzipReadsConcatenatedMembersMadeByTheGzipTool() =>
        Assert.Equal([.. TestData.FileContent, .. TestData.FileContent], CodecTests.Decompress(GzipCodec.Instance, TestData.File("gzip-two-members.gz"), 1 << 20));

    [Fact]
    public void GzipOutputIsAGzipStream()
    {
        byte[] gz = CodecTests.Compress(GzipCodec.Instance, TestData.Text(10_000), 6);
        Assert.Equal(0x1f, gz[0]);
        Assert.Equal(0x8b, gz[1]);
        Assert.Equal(10_000u, BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4)));
        using var input = new MemoryStream(gz);
        using var gzip = new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.Equal(TestData.Text(10_000), plain.ToArray());
    }
}
