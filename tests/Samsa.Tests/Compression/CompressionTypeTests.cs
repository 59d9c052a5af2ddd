using Samsa.Compression;

namespace Samsa.Tests.Compression;

public sealed class CompressionTypeTests
{
    [Theory]
    [InlineData("none", CompressionType.None)]
    [InlineData("gzip", CompressionType.Gzip)]
    [InlineData("SNAPPY", CompressionType.Snappy)]
    [InlineData(" lz4 ", CompressionType.Lz4)]
    [InlineData("Zstd", CompressionType.Zstd)]
    public void ParsesConfigNames(string name, CompressionType expected)
    {
        Assert.Equal(expected, CompressionTypes.Parse(name));
        Assert.Equal(expected.ToConfigName(), name.Trim().ToLowerInvariant());
    }

    [Fact]
    public void AttributeIdsAreKafkas()
    {
        Assert.Equal(0, (int)CompressionType.None);
        Assert.Equal(1, (int)CompressionType.Gzip);
        Assert.Equal(2, (int)CompressionType.Snappy);
        Assert.Equal(3, (int)CompressionType.Lz4);
        Assert.Equal(4, (int)CompressionType.Zstd);
        Assert.Equal(CompressionType.Zstd, CompressionTypes.FromCodecId(4));
        Assert.Equal(ErrorCode.LocalBadCompression, Assert.Throws<KafkaException>(() => CompressionTypes.FromCodecId(5)).Error);
    }

    [Fact]
    public void UnknownNameIsAConfigError()
    {
        ConfigException e = Assert.Throws<ConfigException>(() => CompressionTypes.Parse("brotli"));
        Assert.Equal("compression.type", e.Property);
        Assert.Contains("brotli", e.Message, StringComparison.Ordinal);
        Assert.False(CompressionTypes.TryParse("inherit", out _));
    }
}
