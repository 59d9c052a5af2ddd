using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Samsa.Protocol;

/// <summary>
/// Writes Kafka's primitive types, big-endian, into an <see cref="IBufferWriter{T}"/>. Bytes are staged in
/// the span the output hands out and committed in <see cref="Flush"/>, which the caller must call once done.
/// The <c>compact</c> argument selects the flexible-version encodings (unsigned-varint lengths, plus one).
/// </summary>
public ref struct ProtocolWriter
{
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    public ProtocolWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = default;
        _buffered = 0;
    }

    /// <summary>Commits staged bytes to the output.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Take(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Renew(size);
        }

        Span<byte> s = _span.Slice(_buffered, size);
        _buffered += size;
        return s;
    }

    private void Renew(int size)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = _output.GetSpan(Math.Max(size, 256));
    }

    public void WriteBool(bool value) => Take(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteInt8(sbyte value) => Take(1)[0] = (byte)value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Take(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Take(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Take(8), value);

    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Take(8), value);

    /// <summary>A UUID as 16 bytes, most significant first (Java's UUID layout).</summary>
    public void WriteUuid(Guid value)
    {
        if (!value.TryWriteBytes(Take(16), bigEndian: true, out _))
        {
            throw new InvalidOperationException("A UUID needs 16 bytes.");
        }
    }

    public void WriteUnsignedVarInt(uint value)
    {
        if (_span.Length - _buffered < Varint.MaxLength32)
        {
            Renew(Varint.MaxLength32);
        }

        _buffered += Varint.WriteUnsigned(_span[_buffered..], value);
    }

    public void WriteVarInt(int value) => WriteUnsignedVarInt(Varint.ZigZag(value));

    public void WriteVarLong(long value)
    {
        if (_span.Length - _buffered < Varint.MaxLength64)
        {
            Renew(Varint.MaxLength64);
        }

        _buffered += Varint.Write(_span[_buffered..], value);
    }

    /// <summary>Raw bytes, no length.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> value)
    {
        if (value.Length <= 4096)
        {
            value.CopyTo(Take(value.Length));
            return;
        }

        // Large payloads (record batches): hand them over in the output's own chunk sizes.
        while (!value.IsEmpty)
        {
            if (_span.Length - _buffered == 0)
            {
                Renew(Math.Min(value.Length, 65536));
            }

            int n = Math.Min(value.Length, _span.Length - _buffered);
            value[..n].CopyTo(_span[_buffered..]);
            _buffered += n;
            value = value[n..];
        }
    }

    /// <summary>A length prefix: int16/int32 (-1 for null) or, compact, an unsigned varint of length + 1 (0 for null).</summary>
    private void WriteLength(int length, bool compact, bool wide)
    {
        if (compact)
        {
            WriteUnsignedVarInt((uint)(length + 1));
        }
        else if (wide)
        {
            WriteInt32(length);
        }
        else
        {
            WriteInt16(checked((short)length));
        }
    }

    /// <summary>A STRING (int16 length) or COMPACT_STRING; null writes the null marker.</summary>
    public void WriteString(string? value, bool compact)
    {
        if (value is null)
        {
            WriteLength(-1, compact, wide: false);
            return;
        }

        int byteCount = Encoding.UTF8.GetByteCount(value);
        if (!compact && byteCount > short.MaxValue)
        {
            throw new ArgumentException($"A string of {byteCount} UTF-8 bytes is longer than Kafka's STRING allows ({short.MaxValue}).", nameof(value));
        }

        WriteLength(byteCount, compact, wide: false);
        Encoding.UTF8.GetBytes(value, Take(byteCount));
    }

    /// <summary>BYTES (int32 length) or COMPACT_BYTES; null writes the null marker.</summary>
    public void WriteBytes(byte[]? value, bool compact)
    {
        if (value is null)
        {
            WriteLength(-1, compact, wide: true);
            return;
        }

        WriteBytes(value.AsSpan(), compact);
    }

    /// <summary>Non-null BYTES or COMPACT_BYTES from a span.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> value, bool compact)
    {
        WriteLength(value.Length, compact, wide: true);
        WriteRaw(value);
    }

    /// <summary>RECORDS: encoded like BYTES (a record batch set), null when <paramref name="value"/> has no value.</summary>
    public void WriteRecords(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is not { } records)
        {
            WriteLength(-1, compact, wide: true);
            return;
        }

        WriteBytes(records.Span, compact);
    }

    /// <summary>An ARRAY (int32 count) or COMPACT_ARRAY length; -1 writes the null marker.</summary>
    public void WriteArrayLength(int count, bool compact) => WriteLength(count, compact, wide: true);

    /// <summary>An empty tagged-field section.</summary>
    public void WriteEmptyTaggedFields() => WriteUnsignedVarInt(0);
}
