using Samsa.Protocol;

namespace Samsa.Tests.Records;

public sealed class VarintTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(-2, new byte[] { 0x03 })]
    [InlineData(63, new byte[] { 0x7E })]
    [InlineData(-64, new byte[] { 0x7F })]
    [InlineData(64, new byte[] { 0x80, 0x01 })]
    [InlineData(-65, new byte[] { 0x81, 0x01 })]
    [InlineData(150, new byte[] { 0xAC, 0x02 })]
    [InlineData(int.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void ZigZagInt32Encodings(int value, byte[] expected)
    {
        byte[] buffer = new byte[Varint.MaxLength32];
        int n = Varint.Write(buffer, value);
        Assert.Equal(expected, buffer[..n]);
        Assert.Equal(expected.Length, Varint.SizeOf(value));
        Assert.Equal(expected.Length, Varint.TryRead(expected, out int decoded));
        Assert.Equal(value, decoded);
    }

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(-1L, 1)]
    [InlineData(long.MaxValue, 10)]
    [InlineData(long.MinValue, 10)]
    [InlineData(1L << 34, 6)]
    [InlineData(-(1L << 34), 5)]
    public void ZigZagInt64RoundTrips(long value, int size)
    {
        byte[] buffer = new byte[Varint.MaxLength64];
        int n = Varint.Write(buffer, value);
        Assert.Equal(size, n);
        Assert.Equal(size, Varint.SizeOf(value));
        Assert.Equal(n, Varint.TryRead(buffer.AsSpan(0, n), out long decoded));
        Assert.Equal(value, decoded);
    }

    [Fact]
    public void ZigZagMapping()
    {
        Assert.Equal(0u, Varint.ZigZag(0));
        Assert.Equal(1u, Varint.ZigZag(-1));
        Assert.Equal(2u, Varint.ZigZag(1));
        Assert.Equal(0xFFFFFFFEu, Varint.ZigZag(int.MaxValue));
        Assert.Equal(0xFFFFFFFFu, Varint.ZigZag(int.MinValue));
        Assert.Equal(ulong.MaxValue, Varint.ZigZag(long.MinValue));
        Assert.Equal(int.MinValue, Varint.UnZigZag(0xFFFFFFFFu));
        Assert.Equal(long.MaxValue, Varint.UnZigZag(ulong.MaxValue - 1));
    }

    [Fact]
    public void UnsignedEncodings()
    {
        byte[] buffer = new byte[5];
        Assert.Equal(2, Varint.WriteUnsigned(buffer, 300u));
        Assert.Equal(new byte[] { 0xAC, 0x02 }, buffer[..2]);
        Assert.Equal(5, Varint.WriteUnsigned(buffer, uint.MaxValue));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, buffer);
        Assert.Equal(5, Varint.TryReadUnsigned(buffer, out uint v));
        Assert.Equal(uint.MaxValue, v);
    }

    [Fact]
    public void TruncatedInputReturnsZero()
    {
        Assert.Equal(0, Varint.TryRead(ReadOnlySpan<byte>.Empty, out int _));
        Assert.Equal(0, Varint.TryRead(new byte[] { 0x80 }, out int _));
        Assert.Equal(0, Varint.TryRead(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, out int _));
        Assert.Equal(0, Varint.TryRead(new byte[] { 0x80, 0x80 }, out long _));
    }

    [Fact]
    public void OverlongOrOverflowingInputReturnsMinusOne()
    {
        // Fifth byte may carry only the top 4 bits of a 32-bit value.
        Assert.Equal(-1, Varint.TryRead(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, out int _));
        Assert.Equal(-1, Varint.TryRead(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, out int _));
        // Tenth byte may carry only one bit of a 64-bit value.
        Assert.Equal(-1, Varint.TryRead(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, out long _));
        Assert.Equal(-1, Varint.TryRead(Enumerable.Repeat((byte)0x80, 11).ToArray(), out long _));
    }

    [Fact]
    public void SizeOfAgreesWithWriteAcrossTheRange()
    {
        byte[] buffer = new byte[Varint.MaxLength64];
        var random = new Random(3);
        for (int i = 0; i < 10_000; i++)
        {
            int v32 = random.Next(int.MinValue, int.MaxValue) >> random.Next(0, 31);
            Assert.Equal(Varint.SizeOf(v32), Varint.Write(buffer, v32));
            Assert.Equal(Varint.SizeOf(v32), Varint.TryRead(buffer, out int back32));
            Assert.Equal(v32, back32);

            long v64 = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(0, 63);
            Assert.Equal(Varint.SizeOf(v64), Varint.Write(buffer, v64));
            Assert.Equal(Varint.SizeOf(v64), Varint.TryRead(buffer, out long back64));
            Assert.Equal(v64, back64);
        }
    }
}
