using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Samsa.Protocol;

/// <summary>
/// Reads Kafka's primitive types from one contiguous frame. Every length is checked against what remains, so
/// a hostile frame yields a <see cref="ProtocolException"/>, never an out-of-range read or an allocation
/// larger than the frame. RECORDS are returned as slices of the frame, not copied.
/// </summary>
public ref struct ProtocolReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public ProtocolReader(ReadOnlyMemory<byte> memory)
    {
        _memory = memory;
        _span = memory.Span;
        _position = 0;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _span.Length - _position;

    /// <summary>The bytes not yet read.</summary>
    public readonly ReadOnlyMemory<byte> RemainingMemory => _memory[_position..];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int size)
    {
        if ((uint)size > (uint)(_span.Length - _position))
        {
            ThrowTruncated(size);
        }

        ReadOnlySpan<byte> s = _span.Slice(_position, size);
        _position += size;
        return s;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated(int size) =>
        throw new ProtocolException($"Truncated data: {size} bytes needed at offset {_position}, {_span.Length - _position} remain.");

    public bool ReadBool() => Take(1)[0] != 0;

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    public uint ReadUnsignedVarInt()
    {
        int n = Varint.TryReadUnsigned(_span[_position..], out uint value);
        if (n <= 0)
        {
            ThrowBadVarint(n);
        }

        _position += n;
        return value;
    }

    public int ReadVarInt() => Varint.UnZigZag(ReadUnsignedVarInt());

    public long ReadVarLong()
    {
        int n = Varint.TryRead(_span[_position..], out long value);
        if (n <= 0)
        {
            ThrowBadVarint(n);
        }

        _position += n;
        return value;
    }

    private readonly void ThrowBadVarint(int result) =>
        throw new ProtocolException(result == 0
            ? $"Truncated varint at offset {_position}."
            : $"Malformed varint at offset {_position}.");

    /// <summary>Raw bytes, no length, as a slice of the frame.</summary>
    public ReadOnlyMemory<byte> ReadRawMemory(int length)
    {
        Take(length);
        return _memory.Slice(_position - length, length);
    }

    /// <summary>Raw bytes, no length, as a span over the frame.</summary>
    public ReadOnlySpan<byte> ReadRawSpan(int length) => Take(length);

    /// <summary>Skips bytes.</summary>
    public void Skip(int length) => Take(length);

    /// <summary>A length prefix: -1 means null. Checked to be at most what remains.</summary>
    private int ReadLength(bool compact, bool wide)
    {
        int length;
        if (compact)
        {
            uint raw = ReadUnsignedVarInt();
            if (raw > int.MaxValue)
            {
                throw new ProtocolException($"Length {raw} at offset {_position} is out of range.");
            }

            length = (int)raw - 1;
        }
        else
        {
            length = wide ? ReadInt32() : ReadInt16();
        }

        if (length < -1)
        {
            throw new ProtocolException($"Negative length {length} at offset {_position}.");
        }

        if (length > Remaining)
        {
            throw new ProtocolException($"Length {length} at offset {_position} exceeds the {Remaining} bytes that remain.");
        }

        return length;
    }

    /// <summary>A STRING or COMPACT_STRING that must not be null.</summary>
    public string ReadString(bool compact) =>
        ReadNullableString(compact) ?? throw new ProtocolException($"A non-nullable string was null at offset {_position}.");

    /// <summary>A nullable STRING or COMPACT_STRING.</summary>
    public string? ReadNullableString(bool compact)
    {
        int length = ReadLength(compact, wide: false);
        if (length < 0)
        {
            return null;
        }

        return length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>BYTES or COMPACT_BYTES that must not be null, copied out of the frame.</summary>
    public byte[] ReadBytes(bool compact) =>
        ReadNullableBytes(compact) ?? throw new ProtocolException($"A non-nullable byte array was null at offset {_position}.");

    /// <summary>Nullable BYTES or COMPACT_BYTES, copied out of the frame.</summary>
    public byte[]? ReadNullableBytes(bool compact)
    {
        int length = ReadLength(compact, wide: true);
        return length < 0 ? null : Take(length).ToArray();
    }

    /// <summary>RECORDS, as a slice of the frame (no copy); null when the broker sent null.</summary>
    public ReadOnlyMemory<byte>? ReadRecords(bool compact)
    {
        int length = ReadLength(compact, wide: true);
        return length < 0 ? null : ReadRawMemory(length);
    }

    /// <summary>
    /// An ARRAY or COMPACT_ARRAY count; -1 means null. A count that cannot fit in what remains, given that each
    /// element takes at least <paramref name="minElementSize"/> bytes, is rejected before anything is allocated.
    /// </summary>
    public int ReadArrayLength(bool compact, int minElementSize = 1)
    {
        int count;
        if (compact)
        {
            uint raw = ReadUnsignedVarInt();
            if (raw > int.MaxValue)
            {
                throw new ProtocolException($"Array length {raw} at offset {_position} is out of range.");
            }

            count = (int)raw - 1;
        }
        else
        {
            count = ReadInt32();
        }

        if (count < -1)
        {
            throw new ProtocolException($"Negative array length {count} at offset {_position}.");
        }

        if (count > 0 && (long)count * Math.Max(minElementSize, 1) > Remaining)
        {
            throw new ProtocolException($"Array of {count} elements at offset {_position} cannot fit in the {Remaining} bytes that remain.");
        }

        return count;
    }

    /// <summary>Reads a tagged field's size and returns a reader over exactly its bytes, advancing past them.</summary>
    public ProtocolReader ReadTaggedFieldReader(out int size)
    {
        uint raw = ReadUnsignedVarInt();
        if (raw > (uint)Remaining)
        {
            throw new ProtocolException($"Tagged field of {raw} bytes at offset {_position} exceeds the {Remaining} bytes that remain.");
        }

        size = (int)raw;
        return new ProtocolReader(ReadRawMemory(size));
    }
}
