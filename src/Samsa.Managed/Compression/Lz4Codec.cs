using System.Buffers;

namespace Samsa.Compression;

/// <summary>
/// LZ4 as Kafka carries it: the LZ4 frame format, written with independent 64 KiB blocks and no checksums (as
/// the Java client writes it), read with any option librdkafka or other clients use. Levels: 0-2 fast, 3-9 HC,
/// 10-12 optimal; higher (the Java client accepts up to 17) are clamped to 12. Default 0 as librdkafka's.
/// </summary>
public sealed class Lz4Codec : ICompressionCodec
{
    /// <summary>The shared instance.</summary>
    public static Lz4Codec Instance { get; } = new();

    /// <inheritdoc />
    public CompressionType Type => CompressionType.Lz4;

    /// <inheritdoc />
    public int DefaultLevel => 0;

    /// <inheritdoc />
    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int level = -1) =>
        Lz4Frame.Write(source, destination, CompressionErrors.ClampLevel(level, DefaultLevel, 0, 12), default(Lz4FrameOptions));

    /// <summary>Compresses into one LZ4 frame with the given frame options.</summary>
    public static int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int level, in Lz4FrameOptions options) =>
        Lz4Frame.Write(source, destination, level == -1 ? 0 : level, options);

    /// <inheritdoc />
    public int Decompress(ReadOnlyMemory<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputBytes);
        return Lz4Frame.Read(source.Span, destination, maxOutputBytes);
    }
}
