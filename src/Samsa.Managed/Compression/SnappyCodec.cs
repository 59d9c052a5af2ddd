using System.Buffers;
using System.Buffers.Binary;
using Samsa.Protocol;

namespace Samsa.Compression;

/// <summary>
/// Snappy through Snappier. Writes xerial framing as the Java client does (a 16-byte header: 0x82 "SNAPPY" 0x00,
/// version 1, compatible version 1; then chunks of [int32 big-endian length][raw snappy block] of 32 KiB input
/// each). Reads both that framing and a single raw snappy block (as librdkafka writes it). Snappy has no levels.
/// </summary>
public sealed class SnappyCodec : ICompressionCodec
{
    /// <summary>Input bytes per xerial chunk, as the Java client's SnappyOutputStream uses.</summary>
    public const int XerialChunkSize = 32 * 1024;

    private const int XerialHeaderSize = 16;

    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    /// <summary>The shared instance.</summary>
    public static SnappyCodec Instance { get; } = new();

    /// <inheritdoc />
    public CompressionType Type => CompressionType.Snappy;

    /// <inheritdoc />
    public int DefaultLevel => 0;

    /// <summary>True when <paramref name="data"/> starts with the xerial framing header.</summary>
    public static bool IsXerialFramed(ReadOnlySpan<byte> data) =>
        data.Length >= XerialHeaderSize && data[..XerialMagic.Length].SequenceEqual(XerialMagic);

    /// <inheritdoc />
    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int level = -1)
    {
        Span<byte> header = destination.GetSpan(XerialHeaderSize);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 1);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], 1);
        destination.Advance(XerialHeaderSize);
        int written = XerialHeaderSize;
        while (!source.IsEmpty)
        {
            ReadOnlySpan<byte> chunk = source[..Math.Min(XerialChunkSize, source.Length)];
            source = source[chunk.Length..];
            Span<byte> span = destination.GetSpan(4 + Snappier.Snappy.GetMaxCompressedLength(chunk.Length));
            int n = Snappier.Snappy.Compress(chunk, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, n);
            destination.Advance(4 + n);
            written += 4 + n;
        }

        return written;
    }

    /// <summary>Compresses into one raw snappy block (no framing), as librdkafka writes snappy batches.</summary>
    public static int CompressRaw(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        Span<byte> span = destination.GetSpan(Snappier.Snappy.GetMaxCompressedLength(source.Length));
        int n = Snappier.Snappy.Compress(source, span);
        destination.Advance(n);
        return n;
    }

    /// <inheritdoc />
    public int Decompress(ReadOnlyMemory<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputBytes);
        ReadOnlySpan<byte> data = source.Span;
        try
        {
            if (!IsXerialFramed(data))
            {
                return DecompressBlock(data, destination, 0, maxOutputBytes);
            }

            ReserveXerialOutput(data, destination, maxOutputBytes);
            long total = 0;
            int pos = XerialHeaderSize;
            while (pos < data.Length)
            {
                if (data.Length - pos < 4)
                {
                    throw CompressionErrors.Corrupt(Type, $"xerial chunk length cut short at byte {pos}.");
                }

                int length = BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
                pos += 4;
                if (length < 0 || length > data.Length - pos)
                {
                    throw CompressionErrors.Corrupt(Type, $"xerial chunk of {length} bytes at byte {pos - 4} runs past the end ({data.Length - pos} left).");
                }

                total += DecompressBlock(data.Slice(pos, length), destination, total, maxOutputBytes);
                pos += length;
            }

            return (int)total;
        }
        catch (InvalidDataException e)
        {
            throw CompressionErrors.Corrupt(Type, e.Message, e);
        }
    }

    /// <summary>
    /// Reserves the sum of the chunks' announced sizes (each a varint at the start of its block) in one go, so the
    /// output buffer does not grow, and copy, chunk by chunk. Stops quietly at anything malformed.
    /// </summary>
    private static void ReserveXerialOutput(ReadOnlySpan<byte> data, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        long total = 0;
        int pos = XerialHeaderSize;
        while (data.Length - pos >= 4 && total < maxOutputBytes)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
            pos += 4;
            if (length <= 0 || length > data.Length - pos)
            {
                break;
            }

            if (Varint.TryReadUnsigned(data.Slice(pos, Math.Min(length, Varint.MaxLength32)), out uint size) <= 0)
            {
                break;
            }

            total += size;
            pos += length;
        }

        if (total > 0)
        {
            destination.GetSpan((int)Math.Min(total, maxOutputBytes));
        }
    }

    private int DecompressBlock(ReadOnlySpan<byte> block, IBufferWriter<byte> destination, long producedSoFar, int maxOutputBytes)
    {
        if (block.IsEmpty)
        {
            return 0;
        }

        int length = Snappier.Snappy.GetUncompressedLength(block);
        if (length < 0)
        {
            // The announced size is a varint of up to 2^32-1: past int.MaxValue it comes back negative.
            throw CompressionErrors.Corrupt(Type, "a block announces a negative or oversized length.");
        }

        CompressionErrors.CheckLimit(Type, producedSoFar + length, maxOutputBytes);
        Span<byte> span = destination.GetSpan(length);
        if (!Snappier.Snappy.TryDecompress(block, span[..length], out int n) || n != length)
        {
            throw CompressionErrors.Corrupt(Type, $"a block announcing {length} bytes did not decode to that size.");
        }

        destination.Advance(n);
        return n;
    }
}
