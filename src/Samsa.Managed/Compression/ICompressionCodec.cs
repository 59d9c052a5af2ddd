using System.Buffers;

namespace Samsa.Compression;

/// <summary>
/// One compression algorithm as Kafka frames it inside a record batch. Implementations are stateless and
/// thread-safe (per-thread contexts are cached inside). Errors come out as <see cref="KafkaException"/> with
/// <see cref="ErrorCode.LocalBadCompression"/>.
/// </summary>
public interface ICompressionCodec
{
    /// <summary>The algorithm.</summary>
    CompressionType Type { get; }

    /// <summary>The level used when -1 is asked for.</summary>
    int DefaultLevel { get; }

    /// <summary>
    /// Compresses <paramref name="source"/> and appends the result to <paramref name="destination"/>; returns the
    /// number of bytes appended. <paramref name="level"/> -1 means the codec's default; other values out of the
    /// codec's range are clamped to it.
    /// </summary>
    int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int level = -1);

    /// <summary>
    /// Decompresses <paramref name="source"/> and appends the result to <paramref name="destination"/>; returns the
    /// number of bytes appended. Output beyond <paramref name="maxOutputBytes"/> is refused with a
    /// <see cref="KafkaException"/> (a decompression bomb is an error, not an out-of-memory).
    /// </summary>
    int Decompress(ReadOnlyMemory<byte> source, IBufferWriter<byte> destination, int maxOutputBytes);
}
