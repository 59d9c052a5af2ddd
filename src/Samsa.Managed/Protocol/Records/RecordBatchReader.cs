using System.Buffers.Binary;

namespace Samsa.Protocol.Records;

/// <summary>
/// Walks the record batches of a record set (the RECORDS field of a fetched partition). The broker may cut the
/// last batch short to honour fetch size limits: such a partial trailing batch ends the walk quietly
/// (<see cref="HasPartialBatch"/> tells it happened). Batches are slices of the input, not copies. When
/// <c>checkCrcs</c> is on, each batch's CRC-32C is verified; a mismatch raises a <see cref="KafkaException"/>
/// with <see cref="ErrorCode.LocalCrc"/>. Control batches carrying CRC 0 (as librdkafka's mock cluster writes
/// them) are accepted. Legacy message sets (magic 0 and 1) are rejected with a clear error.
/// </summary>
public struct RecordBatchReader
{
    private readonly ReadOnlyMemory<byte> _recordSet;
    private readonly string? _topic;
    private readonly int _partition;
    private readonly bool _checkCrcs;
    private int _position;
    private bool _partial;

    /// <summary>Starts reading <paramref name="recordSet"/>; topic and partition only name the source in errors.</summary>
    public RecordBatchReader(ReadOnlyMemory<byte> recordSet, string? topic = null, int partition = -1, bool checkCrcs = true)
    {
        _recordSet = recordSet;
        _topic = topic;
        _partition = partition;
        _checkCrcs = checkCrcs;
        _position = 0;
        _partial = false;
    }

    /// <summary>Bytes consumed by the whole batches returned so far.</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>True once the walk ended on a batch cut short (the bytes after <see cref="BytesConsumed"/>).</summary>
    public readonly bool HasPartialBatch => _partial;

    /// <summary>Returns the next whole batch, or false at the end of the set or at a partial trailing batch.</summary>
    public bool TryReadNext(out RecordBatch batch)
    {
        ReadOnlySpan<byte> span = _recordSet.Span;
        int remaining = span.Length - _position;
        if (remaining <= 0)
        {
            batch = default;
            return false;
        }

        ReadOnlySpan<byte> rest = span[_position..];

        // baseOffset and batchLength come first in every format; without them the batch is cut short.
        if (remaining < RecordBatchHeader.LogOverhead)
        {
            return EndPartial(out batch);
        }

        int batchLength = BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.BatchLengthOffset..]);
        if (remaining > RecordBatchHeader.MagicOffset)
        {
            CheckMagic(rest);
        }

        if (batchLength < RecordBatchHeader.MinBatchLength || batchLength > int.MaxValue - RecordBatchHeader.LogOverhead)
        {
            throw new ProtocolException(
                $"Record batch {Where()} at offset {BinaryPrimitives.ReadInt64BigEndian(rest)} has an invalid length {batchLength}.");
        }

        int total = batchLength + RecordBatchHeader.LogOverhead;
        if (remaining < total)
        {
            return EndPartial(out batch);
        }

        ReadOnlySpan<byte> whole = rest[..total];

        // The CRC first: damaged bytes are better reported as a CRC mismatch than as whatever field they hit.
        if (_checkCrcs)
        {
            VerifyCrc(whole);
        }

        RecordBatchHeader header = RecordBatchHeader.Read(whole);

        batch = new RecordBatch(header, _recordSet.Slice(_position, total));
        _position += total;
        return true;
    }

    /// <summary>Enumerates the remaining whole batches.</summary>
    public readonly Enumerator GetEnumerator() => new(this);

    private bool EndPartial(out RecordBatch batch)
    {
        _partial = true;
        batch = default;
        return false;
    }

    private readonly void CheckMagic(ReadOnlySpan<byte> rest)
    {
        sbyte magic = (sbyte)rest[RecordBatchHeader.MagicOffset];
        if (magic == RecordBatchHeader.CurrentMagic)
        {
            return;
        }

        long offset = BinaryPrimitives.ReadInt64BigEndian(rest);
        if (magic is 0 or 1)
        {
            throw new KafkaException(
                ErrorCode.LocalUnsupportedFeature,
                $"Partition {Where()} returned a legacy message set (magic {magic}) at offset {offset}; " +
                "only record batches (magic 2, Kafka 0.11 and later) are supported.");
        }

        throw new ProtocolException($"Record batch {Where()} at offset {offset} has an unknown magic {magic}.");
    }

    private readonly void VerifyCrc(ReadOnlySpan<byte> whole)
    {
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(whole[RecordBatchHeader.CrcOffset..]);
        uint actual = RecordBatchHeader.ComputeCrc(whole);
        if (actual == stored)
        {
            return;
        }

        // librdkafka's mock cluster writes its transaction markers without computing a CRC.
        short attributes = BinaryPrimitives.ReadInt16BigEndian(whole[RecordBatchHeader.AttributesOffset..]);
        if (stored == 0 && (attributes & RecordBatchHeader.ControlFlag) != 0)
        {
            return;
        }

        throw new KafkaException(
            ErrorCode.LocalCrc,
            $"Record batch CRC mismatch in {Where()} at offset {BinaryPrimitives.ReadInt64BigEndian(whole)}: " +
            $"stored 0x{stored:X8}, computed 0x{actual:X8}.");
    }

    private readonly string Where() => _topic is null ? $"[{_partition}]" : $"{_topic} [{_partition}]";

    /// <summary>Enumerator over the whole batches of a record set.</summary>
    public struct Enumerator
    {
        private RecordBatchReader _reader;
        private RecordBatch _current;

        internal Enumerator(RecordBatchReader reader)
        {
            _reader = reader;
            _current = default;
        }

        /// <summary>The batch at the cursor.</summary>
        public readonly RecordBatch Current => _current;

        /// <summary>Advances to the next whole batch.</summary>
        public bool MoveNext() => _reader.TryReadNext(out _current);
    }
}
