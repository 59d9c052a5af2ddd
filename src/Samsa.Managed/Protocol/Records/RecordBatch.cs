namespace Samsa.Protocol.Records;

/// <summary>
/// One whole record batch inside a record set: its parsed header, the batch bytes, and the records region
/// (the bytes after the header, compressed when <see cref="RecordBatchHeader.IsCompressed"/>). Slices, not copies.
/// </summary>
public readonly struct RecordBatch
{
    /// <summary>Wraps a batch already parsed and bounded.</summary>
    public RecordBatch(RecordBatchHeader header, ReadOnlyMemory<byte> memory)
    {
        Header = header;
        Memory = memory;
    }

    /// <summary>The parsed 61-byte header.</summary>
    public RecordBatchHeader Header { get; }

    /// <summary>The whole batch, header included.</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>The records region as stored: compressed when the batch is compressed.</summary>
    public ReadOnlyMemory<byte> RecordsRegion => Memory[RecordBatchHeader.Size..];

    /// <summary>
    /// A reader over the records of an uncompressed batch. A compressed batch must be decompressed first
    /// (Samsa.Compression.RecordBatchDecoder); asking for its records here raises a <see cref="KafkaException"/>.
    /// </summary>
    public RecordReader GetRecordReader()
    {
        if (Header.IsCompressed)
        {
            throw new KafkaException(
                ErrorCode.LocalBadCompression,
                $"Record batch at offset {Header.BaseOffset} is compressed (codec {Header.CompressionCodecId}); decompress it before reading records.");
        }

        return new RecordReader(Header, RecordsRegion);
    }

    /// <summary>Parses one whole batch from <paramref name="batch"/>, which must hold exactly one batch.</summary>
    public static RecordBatch Parse(ReadOnlyMemory<byte> batch)
    {
        RecordBatchHeader header = RecordBatchHeader.Read(batch.Span);
        if (header.TotalSize != batch.Length)
        {
            throw new ProtocolException(
                $"Record batch at offset {header.BaseOffset} declares {header.TotalSize} bytes but {batch.Length} were given.");
        }

        return new RecordBatch(header, batch);
    }
}
