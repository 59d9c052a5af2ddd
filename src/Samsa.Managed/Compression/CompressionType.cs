namespace Samsa.Compression;

/// <summary>The codec of a record batch (the low three bits of its attributes).</summary>
public enum CompressionType
{
    /// <summary>No compression.</summary>
    None = 0,

    /// <summary>GZIP (deflate with a gzip header).</summary>
    Gzip = 1,

    /// <summary>Snappy, in the xerial framing Kafka uses.</summary>
    Snappy = 2,

    /// <summary>LZ4 frame format.</summary>
    Lz4 = 3,

    /// <summary>Zstandard.</summary>
    Zstd = 4,
}
