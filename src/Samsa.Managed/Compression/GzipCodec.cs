using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Samsa.Compression;

/// <summary>gzip (RFC 1952) through System.IO.Compression (zlib-ng); levels 0-9, default 6 as zlib's.</summary>
public sealed class GzipCodec : ICompressionCodec
{
    private const int ReadChunk = 64 * 1024;

    // GZipStream writes nothing at all for empty input; Kafka clients expect a member (header, empty block, trailer).
    private static ReadOnlySpan<byte> EmptyMember => [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The shared instance.</summary>
    public static GzipCodec Instance { get; } = new();

    /// <inheritdoc />
    public CompressionType Type => CompressionType.Gzip;

    /// <inheritdoc />
    public int DefaultLevel => 6;

    /// <inheritdoc />
    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int level = -1)
    {
        if (source.IsEmpty)
        {
            destination.Write(EmptyMember);
            return EmptyMember.Length;
        }

        var options = new ZLibCompressionOptions { CompressionLevel = CompressionErrors.ClampLevel(level, DefaultLevel, 0, 9) };
        var sink = new BufferWriterStream(destination);
        using (var gzip = new GZipStream(sink, options, leaveOpen: true))
        {
            gzip.Write(source);
        }

        return checked((int)sink.Written);
    }

    /// <inheritdoc />
    public int Decompress(ReadOnlyMemory<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (source.Length < 18 || source.Span[0] != 0x1f || source.Span[1] != 0x8b)
        {
            throw CompressionErrors.Corrupt(Type, "no gzip header.");
        }

        // ISIZE (the last member's size mod 2^32) is a good first guess for the output buffer, but it is
        // untrusted: never more than deflate's best ratio (about 1032:1) allows, nor more than the limit.
        long guess = BinaryPrimitives.ReadUInt32LittleEndian(source.Span[^4..]) + 1L;
        guess = Math.Min(guess, source.Length * 1032L);
        int chunk = (int)Math.Min(Math.Min(Math.Max(guess, ReadChunk), maxOutputBytes + 1L), Array.MaxLength);
        long total = 0;
        try
        {
            using var gzip = new GZipStream(new ReadOnlyMemoryStream(source), CompressionMode.Decompress);
            while (true)
            {
                // Ask for one byte past the limit at most, so that going over is seen without reading on.
                int want = (int)Math.Min(chunk, maxOutputBytes - total + 1);
                Span<byte> span = destination.GetSpan(want)[..want];
                int n = gzip.ReadAtLeast(span, want, throwOnEndOfStream: false);
                destination.Advance(n);
                total += n;
                CompressionErrors.CheckLimit(Type, total, maxOutputBytes);
                if (n < want)
                {
                    return (int)total;
                }

                chunk = ReadChunk;
            }
        }
        catch (InvalidDataException e)
        {
            throw CompressionErrors.Corrupt(Type, e.Message, e);
        }
    }
}
