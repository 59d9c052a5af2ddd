using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Samsa.Protocol.Records;

/// <summary>
/// The fixed 61-byte header of a Kafka record batch (magic v2), as laid out by the protocol: baseOffset int64,
/// batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32, attributes int16, lastOffsetDelta int32,
/// baseTimestamp int64, maxTimestamp int64, producerId int64, producerEpoch int16, baseSequence int32,
/// recordCount int32. All integers are big-endian. The CRC-32C covers the bytes from attributes to the end of the batch.
/// </summary>
public readonly struct RecordBatchHeader
{
    /// <summary>Size of the header in bytes; the records start right after it.</summary>
    public const int Size = 61;

    /// <summary>Bytes before the part counted by BatchLength (baseOffset and batchLength).</summary>
    public const int LogOverhead = 12;

    /// <summary>The only record batch format this client writes and reads.</summary>
    public const byte CurrentMagic = 2;

    /// <summary>Smallest valid BatchLength: a header with no records.</summary>
    public const int MinBatchLength = Size - LogOverhead;

    internal const int BaseOffsetOffset = 0;
    internal const int BatchLengthOffset = 8;
    internal const int PartitionLeaderEpochOffset = 12;
    internal const int MagicOffset = 16;
    internal const int CrcOffset = 17;
    internal const int AttributesOffset = 21;
    internal const int LastOffsetDeltaOffset = 23;
    internal const int BaseTimestampOffset = 27;
    internal const int MaxTimestampOffset = 35;
    internal const int ProducerIdOffset = 43;
    internal const int ProducerEpochOffset = 51;
    internal const int BaseSequenceOffset = 53;
    internal const int RecordCountOffset = 57;

    internal const int CompressionMask = 0x07;
    internal const int TimestampTypeFlag = 0x08;
    internal const int TransactionalFlag = 0x10;
    internal const int ControlFlag = 0x20;
    internal const int DeleteHorizonFlag = 0x40;

    /// <summary>Creates a header from its field values (the CRC is taken as given; see <see cref="WriteCrc"/>).</summary>
    public RecordBatchHeader(
        long baseOffset,
        int batchLength,
        int partitionLeaderEpoch,
        byte magic,
        uint crc,
        short attributes,
        int lastOffsetDelta,
        long baseTimestamp,
        long maxTimestamp,
        long producerId,
        short producerEpoch,
        int baseSequence,
        int recordCount)
    {
        BaseOffset = baseOffset;
        BatchLength = batchLength;
        PartitionLeaderEpoch = partitionLeaderEpoch;
        Magic = magic;
        Crc = crc;
        Attributes = attributes;
        LastOffsetDelta = lastOffsetDelta;
        BaseTimestamp = baseTimestamp;
        MaxTimestamp = maxTimestamp;
        ProducerId = producerId;
        ProducerEpoch = producerEpoch;
        BaseSequence = baseSequence;
        RecordCount = recordCount;
    }

    /// <summary>Offset of the first record (0 in batches a producer sends; the broker assigns the real one).</summary>
    public long BaseOffset { get; }

    /// <summary>Bytes after the batchLength field up to the end of the batch.</summary>
    public int BatchLength { get; }

    /// <summary>Leader epoch stamped by the broker; -1 when unknown.</summary>
    public int PartitionLeaderEpoch { get; }

    /// <summary>Format version; 2 for record batches.</summary>
    public byte Magic { get; }

    /// <summary>CRC-32C of the bytes from attributes to the end of the batch.</summary>
    public uint Crc { get; }

    /// <summary>Raw attributes: compression (bits 0-2), timestamp type (3), transactional (4), control (5), delete horizon (6).</summary>
    public short Attributes { get; }

    /// <summary>Offset of the last record minus <see cref="BaseOffset"/>.</summary>
    public int LastOffsetDelta { get; }

    /// <summary>Timestamp of the first record (or the delete horizon when <see cref="HasDeleteHorizon"/>); record timestamps are deltas from it.</summary>
    public long BaseTimestamp { get; }

    /// <summary>Largest record timestamp, or the broker's append time for log-append-time batches.</summary>
    public long MaxTimestamp { get; }

    /// <summary>Idempotent/transactional producer id; -1 when none.</summary>
    public long ProducerId { get; }

    /// <summary>Producer epoch; -1 when none.</summary>
    public short ProducerEpoch { get; }

    /// <summary>Sequence number of the first record; -1 when none.</summary>
    public int BaseSequence { get; }

    /// <summary>Number of records in the batch.</summary>
    public int RecordCount { get; }

    /// <summary>Kafka's compression codec id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).</summary>
    public int CompressionCodecId => Attributes & CompressionMask;

    /// <summary>True when the records region is compressed.</summary>
    public bool IsCompressed => (Attributes & CompressionMask) != 0;

    /// <summary>Whether record timestamps were set by the producer or by the broker.</summary>
    public RecordTimestampType TimestampType =>
        (Attributes & TimestampTypeFlag) != 0 ? RecordTimestampType.LogAppendTime : RecordTimestampType.CreateTime;

    /// <summary>True when the batch belongs to a transaction.</summary>
    public bool IsTransactional => (Attributes & TransactionalFlag) != 0;

    /// <summary>True when the batch holds control records (transaction markers), not user data.</summary>
    public bool IsControl => (Attributes & ControlFlag) != 0;

    /// <summary>True when <see cref="BaseTimestamp"/> carries the log cleaner's delete horizon.</summary>
    public bool HasDeleteHorizon => (Attributes & DeleteHorizonFlag) != 0;

    /// <summary>Offset of the last record in the batch (also when compaction removed it).</summary>
    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>Offset that follows this batch.</summary>
    public long NextOffset => BaseOffset + LastOffsetDelta + 1;

    /// <summary>Size of the whole batch in bytes, header included.</summary>
    public int TotalSize => BatchLength + LogOverhead;

    /// <summary>Builds the attributes field.</summary>
    public static short MakeAttributes(
        int compressionCodecId,
        RecordTimestampType timestampType = RecordTimestampType.CreateTime,
        bool isTransactional = false,
        bool isControl = false,
        bool hasDeleteHorizon = false)
    {
        if ((uint)compressionCodecId > CompressionMask)
        {
            throw new ArgumentOutOfRangeException(nameof(compressionCodecId), compressionCodecId, "A compression codec id is 0-7.");
        }

        int a = compressionCodecId;
        if (timestampType == RecordTimestampType.LogAppendTime)
        {
            a |= TimestampTypeFlag;
        }

        if (isTransactional)
        {
            a |= TransactionalFlag;
        }

        if (isControl)
        {
            a |= ControlFlag;
        }

        if (hasDeleteHorizon)
        {
            a |= DeleteHorizonFlag;
        }

        return (short)a;
    }

    /// <summary>
    /// Parses and validates the 61-byte header at the start of <paramref name="source"/>. Throws
    /// <see cref="ProtocolException"/> when the bytes are short, the magic is not 2, or a field is out of range.
    /// </summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new ProtocolException($"Truncated record batch header: {source.Length} bytes, {Size} needed.");
        }

        byte magic = source[MagicOffset];
        if (magic != CurrentMagic)
        {
            throw new ProtocolException($"Unsupported record batch magic {(sbyte)magic}; only magic 2 record batches are read.");
        }

        var header = new RecordBatchHeader(
            BinaryPrimitives.ReadInt64BigEndian(source),
            BinaryPrimitives.ReadInt32BigEndian(source[BatchLengthOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[PartitionLeaderEpochOffset..]),
            magic,
            BinaryPrimitives.ReadUInt32BigEndian(source[CrcOffset..]),
            BinaryPrimitives.ReadInt16BigEndian(source[AttributesOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[LastOffsetDeltaOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[BaseTimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[MaxTimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(source[ProducerIdOffset..]),
            BinaryPrimitives.ReadInt16BigEndian(source[ProducerEpochOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[BaseSequenceOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(source[RecordCountOffset..]));
        header.Validate();
        return header;
    }

    private void Validate()
    {
        if (BatchLength < MinBatchLength || BatchLength > int.MaxValue - LogOverhead)
        {
            throw new ProtocolException($"Record batch at offset {BaseOffset} has an invalid length {BatchLength} (at least {MinBatchLength}).");
        }

        if (RecordCount < 0)
        {
            throw new ProtocolException($"Record batch at offset {BaseOffset} has a negative record count {RecordCount}.");
        }

        if (LastOffsetDelta < 0)
        {
            throw new ProtocolException($"Record batch at offset {BaseOffset} has a negative last offset delta {LastOffsetDelta}.");
        }

        if (BaseOffset < 0 || BaseOffset > long.MaxValue - LastOffsetDelta - 1)
        {
            throw new ProtocolException($"Record batch has an invalid base offset {BaseOffset}.");
        }
    }

    /// <summary>Writes the 61 header bytes, CRC included as held, to the start of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A record batch header needs {Size} bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteInt64BigEndian(destination, BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(destination[BatchLengthOffset..], BatchLength);
        BinaryPrimitives.WriteInt32BigEndian(destination[PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        destination[MagicOffset] = Magic;
        BinaryPrimitives.WriteUInt32BigEndian(destination[CrcOffset..], Crc);
        BinaryPrimitives.WriteInt16BigEndian(destination[AttributesOffset..], Attributes);
        BinaryPrimitives.WriteInt32BigEndian(destination[LastOffsetDeltaOffset..], LastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(destination[BaseTimestampOffset..], BaseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[MaxTimestampOffset..], MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(destination[ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(destination[BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(destination[RecordCountOffset..], RecordCount);
    }

    /// <summary>
    /// The CRC-32C a batch should carry: over the bytes from attributes to the end. <paramref name="batch"/> is
    /// exactly one whole batch (header and records).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesOffset..]);

    /// <summary>Computes the CRC of one whole batch and stores it in the batch's crc field.</summary>
    public static uint WriteCrc(Span<byte> batch)
    {
        uint crc = ComputeCrc(batch);
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], crc);
        return crc;
    }

    /// <summary>A copy of this header with another CRC.</summary>
    public RecordBatchHeader WithCrc(uint crc) => new(
        BaseOffset, BatchLength, PartitionLeaderEpoch, Magic, crc, Attributes, LastOffsetDelta,
        BaseTimestamp, MaxTimestamp, ProducerId, ProducerEpoch, BaseSequence, RecordCount);

    /// <inheritdoc />
    public override string ToString() =>
        $"RecordBatch(baseOffset={BaseOffset}, lastOffsetDelta={LastOffsetDelta}, count={RecordCount}, codec={CompressionCodecId}, " +
        $"control={IsControl}, transactional={IsTransactional}, producerId={ProducerId}, epoch={ProducerEpoch}, baseSequence={BaseSequence})";
}
