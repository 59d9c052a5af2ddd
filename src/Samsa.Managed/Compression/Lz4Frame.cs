using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace Samsa.Compression;

/// <summary>
/// The LZ4 frame format (magic 0x184D2204) over K4os' block codec: the frame Kafka carries in lz4 batches.
/// Reads every option the format has except dictionaries: linked or independent blocks, block checksums,
/// content checksum, content size, skippable frames and concatenated frames. All checksums are verified.
/// </summary>
internal static class Lz4Frame
{
    public const uint Magic = 0x184D2204;
    private const uint SkippableMagicMask = 0xFFFFFFF0;
    private const uint SkippableMagic = 0x184D2A50;
    private const int FlagVersionMask = 0xC0;
    private const int FlagVersion = 0x40;
    private const int FlagBlockIndependent = 0x20;
    private const int FlagBlockChecksum = 0x10;
    private const int FlagContentSize = 0x08;
    private const int FlagContentChecksum = 0x04;
    private const int FlagReserved = 0x02;
    private const int FlagDictionaryId = 0x01;
    private const uint UncompressedBlockBit = 0x80000000;
    private const int WindowSize = 64 * 1024;

    public static int BlockMaxSize(int blockSizeId) => 1 << (8 + (2 * blockSizeId));

    public static LZ4Level ToLevel(int level) => level switch
    {
        < 3 => LZ4Level.L00_FAST,
        > 12 => LZ4Level.L12_MAX,
        _ => (LZ4Level)level,
    };

    public static int Write(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int level, in Lz4FrameOptions options)
    {
        int blockSizeId = options.BlockSizeId == 0 ? 4 : options.BlockSizeId;
        int blockMax = BlockMaxSize(blockSizeId);
        LZ4Level lz4Level = ToLevel(level);

        int flags = FlagVersion | FlagBlockIndependent
            | (options.BlockChecksum ? FlagBlockChecksum : 0)
            | (options.ContentSize ? FlagContentSize : 0)
            | (options.ContentChecksum ? FlagContentChecksum : 0);
        int headerSize = 4 + 2 + (options.ContentSize ? 8 : 0) + 1;
        Span<byte> header = destination.GetSpan(headerSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        header[4] = (byte)flags;
        header[5] = (byte)(blockSizeId << 4);
        if (options.ContentSize)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(header[6..], (ulong)source.Length);
        }

        header[headerSize - 1] = HeaderChecksum(header[4..(headerSize - 1)]);
        destination.Advance(headerSize);
        int written = headerSize;

        ReadOnlySpan<byte> rest = source;
        while (!rest.IsEmpty)
        {
            ReadOnlySpan<byte> block = rest[..Math.Min(blockMax, rest.Length)];
            rest = rest[block.Length..];
            Span<byte> span = destination.GetSpan(4 + LZ4Codec.MaximumOutputSize(block.Length) + 4);
            Span<byte> payload = span[4..];
            int n = LZ4Codec.Encode(block, payload[..block.Length], lz4Level);
            uint sizeField;
            if (n <= 0 || n >= block.Length)
            {
                // Incompressible: store it as is, which the format marks with the high bit.
                block.CopyTo(payload);
                n = block.Length;
                sizeField = (uint)n | UncompressedBlockBit;
            }
            else
            {
                sizeField = (uint)n;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(span, sizeField);
            int blockTotal = 4 + n;
            if (options.BlockChecksum)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span[blockTotal..], XxHash32.Hash(payload[..n]));
                blockTotal += 4;
            }

            destination.Advance(blockTotal);
            written += blockTotal;
        }

        int trailerSize = options.ContentChecksum ? 8 : 4;
        Span<byte> trailer = destination.GetSpan(trailerSize);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, 0);
        if (options.ContentChecksum)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], XxHash32.Hash(source));
        }

        destination.Advance(trailerSize);
        return written + trailerSize;
    }

    public static int Read(ReadOnlySpan<byte> data, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        // Reserve the whole output at once: growing the buffer block by block would copy it over and over.
        long estimate = EstimateSize(data);
        if (estimate > 0)
        {
            destination.GetSpan((int)Math.Min(estimate, maxOutputBytes));
        }

        long total = 0;
        int pos = 0;
        byte[]? window = null;
        try
        {
            do
            {
                uint magic = ReadUInt32(data, ref pos, "frame magic");
                if ((magic & SkippableMagicMask) == SkippableMagic)
                {
                    uint skip = ReadUInt32(data, ref pos, "skippable frame size");
                    if (skip > (uint)(data.Length - pos))
                    {
                        throw Corrupt($"skippable frame of {skip} bytes runs past the end.");
                    }

                    pos += (int)skip;
                    continue;
                }

                if (magic != Magic)
                {
                    throw Corrupt($"bad frame magic 0x{magic:X8} at byte {pos - 4}.");
                }

                total += ReadFrame(data, ref pos, destination, total, maxOutputBytes, ref window);
            }
            while (pos < data.Length);
        }
        finally
        {
            if (window is not null)
            {
                ArrayPool<byte>.Shared.Return(window);
            }
        }

        return (int)total;
    }

    private static long ReadFrame(ReadOnlySpan<byte> data, ref int pos, IBufferWriter<byte> destination, long producedBefore, int maxOutputBytes, ref byte[]? window)
    {
        int descriptorStart = pos;
        if (data.Length - pos < 3)
        {
            throw Corrupt("frame descriptor cut short.");
        }

        int flags = data[pos];
        int bd = data[pos + 1];
        if ((flags & FlagVersionMask) != FlagVersion || (flags & FlagReserved) != 0 || (bd & 0x8F) != 0)
        {
            throw Corrupt($"unsupported frame descriptor FLG=0x{flags:X2} BD=0x{bd:X2}.");
        }

        int blockSizeId = (bd >> 4) & 0x7;
        if (blockSizeId < 4)
        {
            throw Corrupt($"invalid block size id {blockSizeId}.");
        }

        if ((flags & FlagDictionaryId) != 0)
        {
            throw Corrupt("frames that need a dictionary are not supported.");
        }

        int blockMax = BlockMaxSize(blockSizeId);
        bool independent = (flags & FlagBlockIndependent) != 0;
        bool blockChecksum = (flags & FlagBlockChecksum) != 0;
        bool contentChecksum = (flags & FlagContentChecksum) != 0;
        int descriptorLength = 2 + ((flags & FlagContentSize) != 0 ? 8 : 0);
        if (data.Length - pos < descriptorLength + 1)
        {
            throw Corrupt("frame descriptor cut short.");
        }

        long contentSize = -1;
        if ((flags & FlagContentSize) != 0)
        {
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(data[(pos + 2)..]);
            if (size > (ulong)maxOutputBytes)
            {
                throw CompressionErrors.TooLarge(CompressionType.Lz4, maxOutputBytes);
            }

            contentSize = (long)size;
        }

        pos += descriptorLength;
        byte expectedHc = HeaderChecksum(data[descriptorStart..pos]);
        if (data[pos] != expectedHc)
        {
            throw Corrupt($"frame header checksum 0x{data[pos]:X2} does not match 0x{expectedHc:X2}.");
        }

        pos++;
        if (!independent && window is null)
        {
            window = ArrayPool<byte>.Shared.Rent(WindowSize);
        }

        int windowLength = 0;
        var contentHash = new XxHash32(0);
        long produced = 0;
        while (true)
        {
            uint sizeField = ReadUInt32(data, ref pos, "block size");
            if (sizeField == 0)
            {
                break;
            }

            bool stored = (sizeField & UncompressedBlockBit) != 0;
            int size = (int)(sizeField & ~UncompressedBlockBit);
            if (size > blockMax || size > data.Length - pos)
            {
                throw Corrupt($"block of {size} bytes at byte {pos - 4} is larger than the block maximum {blockMax} or what remains ({data.Length - pos}).");
            }

            ReadOnlySpan<byte> block = data.Slice(pos, size);
            pos += size;
            if (blockChecksum)
            {
                uint stated = ReadUInt32(data, ref pos, "block checksum");
                if (stated != XxHash32.Hash(block))
                {
                    throw Corrupt($"block checksum mismatch at byte {pos - 8 - size}.");
                }
            }

            Span<byte> target = destination.GetSpan(stored ? size : blockMax);
            int n;
            if (stored)
            {
                block.CopyTo(target);
                n = size;
            }
            else
            {
                n = independent || windowLength == 0
                    ? LZ4Codec.Decode(block, target[..blockMax])
                    : LZ4Codec.Decode(block, target[..blockMax], window.AsSpan(0, windowLength));
                if (n < 0)
                {
                    throw Corrupt($"block at byte {pos - size - 4} does not decode.");
                }
            }

            produced += n;
            CompressionErrors.CheckLimit(CompressionType.Lz4, producedBefore + produced, maxOutputBytes);
            ReadOnlySpan<byte> output = target[..n];
            if (contentChecksum)
            {
                contentHash.Append(output);
            }

            if (!independent)
            {
                windowLength = Slide(window!, windowLength, output);
            }

            destination.Advance(n);
        }

        if (contentChecksum)
        {
            uint stated = ReadUInt32(data, ref pos, "content checksum");
            if (stated != contentHash.GetDigest())
            {
                throw Corrupt("content checksum mismatch.");
            }
        }

        if (contentSize >= 0 && contentSize != produced)
        {
            throw Corrupt($"frame announces {contentSize} bytes but holds {produced}.");
        }

        return produced;
    }

    /// <summary>
    /// An upper bound of the decoded size from the frame and block headers alone (stored blocks count their size,
    /// compressed ones the block maximum); stops quietly at anything malformed, which decoding then reports.
    /// </summary>
    private static long EstimateSize(ReadOnlySpan<byte> data)
    {
        long total = 0;
        int pos = 0;
        while (data.Length - pos >= 7)
        {
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]);
            if (magic != Magic)
            {
                return total;
            }

            int flags = data[pos + 4];
            int blockSizeId = (data[pos + 5] >> 4) & 0x7;
            if (blockSizeId < 4)
            {
                return total;
            }

            int blockMax = BlockMaxSize(blockSizeId);
            if ((flags & FlagContentSize) != 0)
            {
                return data.Length - pos >= 15 ? total + (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(data[(pos + 6)..]), int.MaxValue) : total;
            }

            pos += 7 + ((flags & FlagDictionaryId) != 0 ? 4 : 0);
            int checksumSize = (flags & FlagBlockChecksum) != 0 ? 4 : 0;
            while (data.Length - pos >= 4)
            {
                uint sizeField = BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]);
                pos += 4;
                if (sizeField == 0)
                {
                    break;
                }

                int size = (int)(sizeField & ~UncompressedBlockBit);
                total += (sizeField & UncompressedBlockBit) != 0 ? size : blockMax;
                if (size > data.Length - pos)
                {
                    return total;
                }

                pos += size + checksumSize;
            }

            pos += (flags & FlagContentChecksum) != 0 ? 4 : 0;
        }

        return total;
    }

    /// <summary>Keeps the last 64 KiB of output: the most a linked block may refer back to.</summary>
    private static int Slide(byte[] window, int windowLength, ReadOnlySpan<byte> output)
    {
        if (output.Length >= WindowSize)
        {
            output[^WindowSize..].CopyTo(window);
            return WindowSize;
        }

        int keep = Math.Min(windowLength, WindowSize - output.Length);
        if (keep > 0 && keep < windowLength)
        {
            window.AsSpan(windowLength - keep, keep).CopyTo(window);
        }

        output.CopyTo(window.AsSpan(keep));
        return keep + output.Length;
    }

    private static byte HeaderChecksum(ReadOnlySpan<byte> descriptor) => (byte)(XxHash32.Hash(descriptor) >> 8);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, ref int pos, string what)
    {
        if (data.Length - pos < 4)
        {
            throw Corrupt($"{what} cut short at byte {pos}.");
        }

        uint v = BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]);
        pos += 4;
        return v;
    }

    private static KafkaException Corrupt(string detail) => CompressionErrors.Corrupt(CompressionType.Lz4, detail);
}
