using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Samsa.Protocol.Records;

/// <summary>
/// Reads the records of one uncompressed records region (the bytes after a batch header, or a decompressed
/// records region) without copying: keys, values and headers are slices of the input. Every varint length is
/// checked against what remains of its record, and each record must end exactly where its length says; malformed
/// bytes raise a <see cref="ProtocolException"/>. A plain struct so a consumer can keep its cursor between calls.
/// </summary>
public struct RecordReader
{
    private readonly ReadOnlyMemory<byte> _records;
    private readonly long _baseOffset;
    private readonly long _baseTimestamp;
    private readonly long _maxTimestamp;
    private readonly int _lastOffsetDelta;
    private readonly int _count;
    private readonly bool _logAppendTime;
    private int _position;
    private int _read;

    // How far ahead of the record being read to prefetch: a few records of ~100 bytes.
    private const int PrefetchDistance = 512;

    /// <summary>Reads the <see cref="RecordBatchHeader.RecordCount"/> records of <paramref name="records"/> (uncompressed).</summary>
    public RecordReader(in RecordBatchHeader header, ReadOnlyMemory<byte> records)
    {
        _records = records;
        _baseOffset = header.BaseOffset;
        _baseTimestamp = header.BaseTimestamp;
        _maxTimestamp = header.MaxTimestamp;
        _lastOffsetDelta = header.LastOffsetDelta;
        _count = header.RecordCount;
        _logAppendTime = header.TimestampType == RecordTimestampType.LogAppendTime;
        _position = 0;
        _read = 0;
    }

    /// <summary>Number of records the batch header announces.</summary>
    public readonly int Count => _count;

    /// <summary>Number of records read so far.</summary>
    public readonly int ReadCount => _read;

    /// <summary>Reads the next record; false once all announced records were read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadNext(out Record record)
    {
        ReadOnlySpan<byte> span = _records.Span;
        if (_read >= _count)
        {
            if (_position != span.Length)
            {
                ThrowTrailing(span.Length - _position);
            }

            record = default;
            return false;
        }

        int pos = _position;
        int n = Varint.TryRead(span[pos..], out int length);
        if (n <= 0)
        {
            ThrowBadVarint("record length", n);
        }

        pos += n;
        // Smallest body: attributes, timestamp delta, offset delta, key length, value length, header count.
        if (length < 6 || length > span.Length - pos)
        {
            ThrowBadLength("record", length, span.Length - pos);
        }

        int end = pos + length;
        PrefetchAhead(span, end + PrefetchDistance);
        span = span[..end];
        byte attributes = span[pos++];

        n = Varint.TryRead(span[pos..], out long timestampDelta);
        if (n <= 0)
        {
            ThrowBadVarint("timestamp delta", n);
        }

        pos += n;
        n = Varint.TryRead(span[pos..], out int offsetDelta);
        if (n <= 0)
        {
            ThrowBadVarint("offset delta", n);
        }

        pos += n;
        if (offsetDelta < 0 || offsetDelta > _lastOffsetDelta)
        {
            ThrowBadOffsetDelta(offsetDelta);
        }

        int keyLength = ReadLength(span, ref pos, "key", allowNull: true, end);
        int keyStart = pos;
        if (keyLength > 0)
        {
            pos += keyLength;
        }

        int valueLength = ReadLength(span, ref pos, "value", allowNull: true, end);
        int valueStart = pos;
        if (valueLength > 0)
        {
            pos += valueLength;
        }

        n = Varint.TryRead(span[pos..], out int headerCount);
        if (n <= 0)
        {
            ThrowBadVarint("header count", n);
        }

        pos += n;
        if (headerCount < 0)
        {
            ThrowBadLength("header count", headerCount, end - pos);
        }

        int headersStart = pos;
        for (int i = 0; i < headerCount; i++)
        {
            int hk = ReadLength(span, ref pos, "header key", allowNull: false, end);
            pos += hk;
            int hv = ReadLength(span, ref pos, "header value", allowNull: true, end);
            if (hv > 0)
            {
                pos += hv;
            }
        }

        if (pos != end)
        {
            ThrowSizeMismatch(length, pos - (end - length));
        }

        ReadOnlyMemory<byte> memory = _records;
        record = new Record(
            _baseOffset + offsetDelta,
            _logAppendTime ? _maxTimestamp : unchecked(_baseTimestamp + timestampDelta),
            attributes,
            keyLength > 0 ? memory.Slice(keyStart, keyLength) : ReadOnlyMemory<byte>.Empty,
            keyLength < 0,
            valueLength > 0 ? memory.Slice(valueStart, valueLength) : ReadOnlyMemory<byte>.Empty,
            valueLength < 0,
            headerCount > 0 ? memory[headersStart..end] : ReadOnlyMemory<byte>.Empty,
            headerCount);
        _position = end;
        _read++;
        return true;
    }

    /// <summary>
    /// Starts loading the bytes a few records ahead into the cache. Each record's start depends on the previous
    /// record's length, so without it every cache line of a batch not in cache is a stall of its own (perf: the
    /// first read past the key was the consumer's hottest instruction).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchAhead(ReadOnlySpan<byte> span, int at)
    {
        if (Sse.IsSupported && (uint)at < (uint)span.Length)
        {
            // Only a hint: it never faults, so an address the GC has since moved costs nothing.
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.AsRef(in span[at])));
        }
    }

    /// <summary>Enumerates the remaining records.</summary>
    public readonly Enumerator GetEnumerator() => new(this);

    /// <summary>
    /// Reads a zig-zag varint length at <paramref name="pos"/>: -1 (null) when allowed, otherwise 0 or more and no
    /// longer than the bytes left before <paramref name="end"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ReadLength(ReadOnlySpan<byte> span, ref int pos, string what, bool allowNull, int end)
    {
        int n = Varint.TryRead(span[pos..end], out int length);
        if (n <= 0)
        {
            ThrowBadVarint(what, n);
        }

        pos += n;
        if (length > end - pos || length < (allowNull ? -1 : 0))
        {
            ThrowBadLength(what, length, end - pos);
        }

        return length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadVarint(string what, int n) =>
        throw new ProtocolException(n == 0
            ? $"Truncated record: the {what} varint runs past the end of the record."
            : $"Malformed record: the {what} varint is too long.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadLength(string what, int length, int remaining) =>
        throw new ProtocolException($"Malformed record: {what} length {length} does not fit the {remaining} bytes left.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowBadOffsetDelta(int delta) =>
        throw new ProtocolException(
            $"Malformed record in batch at offset {_baseOffset}: offset delta {delta} outside 0..{_lastOffsetDelta}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowSizeMismatch(int declared, int used) =>
        throw new ProtocolException(
            $"Malformed record in batch at offset {_baseOffset}: its length says {declared} bytes but its fields take {used}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTrailing(int bytes) =>
        throw new ProtocolException(
            $"Record batch at offset {_baseOffset} has {bytes} bytes after its {_count} records.");

    /// <summary>Enumerator over records.</summary>
    public struct Enumerator
    {
        private RecordReader _reader;
        private Record _current;

        internal Enumerator(RecordReader reader)
        {
            _reader = reader;
            _current = default;
        }

        /// <summary>The record at the cursor.</summary>
        public readonly Record Current => _current;

        /// <summary>Advances to the next record.</summary>
        public bool MoveNext() => _reader.TryReadNext(out _current);
    }
}
