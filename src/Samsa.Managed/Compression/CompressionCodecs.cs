namespace Samsa.Compression;

/// <summary>The codec for each <see cref="CompressionType"/>.</summary>
public static class CompressionCodecs
{
    /// <summary>The codec for <paramref name="type"/>; <see cref="CompressionType.None"/> has none.</summary>
    public static ICompressionCodec Get(CompressionType type) => type switch
    {
        CompressionType.Gzip => GzipCodec.Instance,
        CompressionType.Snappy => SnappyCodec.Instance,
        CompressionType.Lz4 => Lz4Codec.Instance,
        CompressionType.Zstd => ZstdCodec.Instance,
        CompressionType.None => throw new ArgumentException("Uncompressed batches have no codec.", nameof(type)),
        _ => throw new KafkaException(ErrorCode.LocalBadCompression, $"Unknown compression codec id {(int)type}."),
    };
}
