using System.Text;
using Samsa.Protocol;

namespace Samsa.Tests.Records;

public sealed class Crc32CTests
{
    [Fact]
    public void CheckValueOfTheCatalogue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void EmptyInputIsZero() => Assert.Equal(0u, Crc32C.Compute([]));

    // RFC 3720 (iSCSI), appendix B.4.
    [Fact]
    public void Rfc3720Vectors()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    [Fact]
    public void AppendingInChunksEqualsOneShot()
    {
        var random = new Random(42);
        byte[] data = new byte[1000];
        random.NextBytes(data);
        uint whole = Crc32C.Compute(data);
        for (int split = 0; split <= data.Length; split += 37)
        {
            uint state = Crc32C.Append(~0u, data.AsSpan(0, split));
            state = Crc32C.Append(state, data.AsSpan(split));
            Assert.Equal(whole, ~state);
        }
    }

    [Fact]
    public void MatchesBitwiseReferenceOnOddLengths()
    {
        var random = new Random(7);
        for (int length = 0; length < 80; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Reference(data), Crc32C.Compute(data));
        }
    }

    private static uint Reference(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
