using System.Text;
using Samsa.Compression;

namespace Samsa.Tests.Compression;

public sealed class XxHash32Tests
{
    // Reference values of the xxHash specification's implementation (also checked with an independent script).
    [Theory]
    [InlineData("", 0u, 0x02CC5D05u)]
    [InlineData("a", 0u, 0x550D7456u)]
    [InlineData("abc", 0u, 0x32D153FFu)]
    [InlineData("Nobody inspects the spammish repetition", 0u, 0xE2293B2Fu)]
    [InlineData("", 0x9E3779B1u, 0x36B78AE7u)]
    [InlineData("abc", 0x9E3779B1u, 0xA1AE7709u)]
    [InlineData("Nobody inspects the spammish repetition", 0x9E3779B1u, 0xC9E89E68u)]
    public void KnownVectors(string input, uint seed, uint expected) =>
        Assert.Equal(expected, XxHash32.Hash(Encoding.ASCII.GetBytes(input), seed));

    [Fact]
    public void LongInputVector()
    {
        byte[] data = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
        Assert.Equal(0x58654D5Au, XxHash32.Hash(data));
        Assert.Equal(0xF058452Bu, XxHash32.Hash(data, 0x9E3779B1u));
    }

    [Fact]
    public void IncrementalEqualsOneShotForAnySplit()
    {
        byte[] data = TestData.Random(300);
        var random = new Random(5);
        for (int length = 0; length <= data.Length; length += 7)
        {
            uint expected = XxHash32.Hash(data.AsSpan(0, length), 3);
            var hash = new XxHash32(3);
            int pos = 0;
            while (pos < length)
            {
                int take = Math.Min(random.Next(0, 40), length - pos);
                hash.Append(data.AsSpan(pos, take));
                pos += take;
            }

            Assert.Equal(expected, hash.GetDigest());
        }
    }
}
