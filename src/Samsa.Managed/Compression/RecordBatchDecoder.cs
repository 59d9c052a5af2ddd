using System.Buffers;
using Samsa.Buffers;
using Samsa.Protocol.Records;

namespace Samsa.Compression;

/// <summary>
/// Makes a fetched batch readable: an uncompressed batch is read in place; a compressed one has its records
/// region decompressed into a pooled buffer, bounded by a maximum size so that a decompression bomb is an error.
/// </summary>
public static class RecordBatchDecoder
{
    /// <summary>Default bound on one batch's decompressed records: 256 MiB.</summary>
    public const int DefaultMaxDecompressedBytes = 256 * 1024 * 1024;

    [ThreadStatic]
    private static PooledBufferWriter? t_scratch;

    /// <summary>
    /// Decodes <paramref name="batch"/>. The result owns a pooled buffer when the batch was compressed: dispose it
    /// once its records (and any slices of them) are no longer used.
    /// </summary>
    public static DecodedRecordBatch Decode(in RecordBatch batch, int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        RecordBatchHeader header = batch.Header;
        if (!header.IsCompressed)
        {
            return new DecodedRecordBatch(header, batch.RecordsRegion, owner: null);
        }

        // Empty between calls: its array leaves with each result, so only the writer object is reused.
        PooledBufferWriter scratch = t_scratch ??= new PooledBufferWriter(0);
        try
        {
            Decompress(batch, scratch, maxDecompressedBytes);
        }
        catch
        {
            // Hand the (possibly large) buffer back to the pool rather than keeping it on this thread.
            scratch.Dispose();
            throw;
        }

        byte[] array = scratch.DetachBuffer(out int length);
        return new DecodedRecordBatch(header, array.AsMemory(0, length), new PooledArrayOwner(array, length));
    }

    /// <summary>
    /// Decodes <paramref name="batch"/> into a buffer the caller owns and reuses (no allocation per batch): the
    /// returned records are valid until <paramref name="scratch"/> is reset or written again. The result owns nothing.
    /// </summary>
    public static DecodedRecordBatch Decode(in RecordBatch batch, PooledBufferWriter scratch, int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        RecordBatchHeader header = batch.Header;
        if (!header.IsCompressed)
        {
            return new DecodedRecordBatch(header, batch.RecordsRegion, owner: null);
        }

        int start = scratch.WrittenCount;
        int length = Decompress(batch, scratch, maxDecompressedBytes);
        return new DecodedRecordBatch(header, scratch.WrittenMemory.Slice(start, length), owner: null);
    }

    /// <summary>Decompresses the records region of a compressed batch into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Decompress(in RecordBatch batch, IBufferWriter<byte> destination, int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        RecordBatchHeader header = batch.Header;
        CompressionType type = CompressionTypes.FromCodecId(header.CompressionCodecId);
        if (type == CompressionType.None)
        {
            destination.Write(batch.RecordsRegion.Span);
            return batch.RecordsRegion.Length;
        }

        try
        {
            return CompressionCodecs.Get(type).Decompress(batch.RecordsRegion, destination, maxDecompressedBytes);
        }
        catch (KafkaException e) when (e.Error == ErrorCode.LocalBadCompression)
        {
            throw new KafkaException(
                ErrorCode.LocalBadCompression,
                $"Record batch at offset {header.BaseOffset}: {e.Reason}",
                e);
        }
    }
}
