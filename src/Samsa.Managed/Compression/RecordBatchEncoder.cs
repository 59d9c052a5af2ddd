using Samsa.Buffers;
using Samsa.Protocol.Records;

namespace Samsa.Compression;

/// <summary>
/// Turns a <see cref="RecordBatchBuilder"/>'s records into a finished batch with a codec: compresses the records
/// region, writes the 61-byte header with the compressed length and the producer fields, and computes the CRC.
/// </summary>
public static class RecordBatchEncoder
{
    /// <summary>
    /// Appends the finished batch to <paramref name="output"/> and returns its size in bytes. For
    /// <see cref="CompressionType.None"/> the builder's bytes are copied; <see cref="RecordBatchBuilder.Finish"/>
    /// gives the same batch without the copy. <paramref name="level"/> -1 means the codec's default.
    /// </summary>
    public static int Encode(
        RecordBatchBuilder builder,
        in RecordBatchProducerFields fields,
        CompressionType compression,
        int level,
        PooledBufferWriter output)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(output);
        if (compression == CompressionType.None)
        {
            ReadOnlyMemory<byte> batch = builder.Finish(fields);
            output.Write(batch.Span);
            return batch.Length;
        }

        ICompressionCodec codec = CompressionCodecs.Get(compression);
        int start = output.Reserve(RecordBatchHeader.Size);
        int compressed = codec.Compress(builder.Records.Span, output, level);
        RecordBatchHeader header = builder.CreateHeader(fields, (int)compression, compressed);
        Span<byte> written = output.WrittenSpanMutable.Slice(start, RecordBatchHeader.Size + compressed);
        header.Write(written);
        RecordBatchHeader.WriteCrc(written);
        return written.Length;
    }
}
