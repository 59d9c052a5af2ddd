namespace Samsa.Protocol.Records;

/// <summary>
/// The headers of a <see cref="Record"/>: the encoded header bytes (already validated when the record was read)
/// and their count. Enumerate with foreach; nothing is allocated.
/// </summary>
public readonly struct RecordHeaderList
{
    private readonly ReadOnlyMemory<byte> _encoded;

    internal RecordHeaderList(ReadOnlyMemory<byte> encoded, int count)
    {
        _encoded = encoded;
        Count = count;
    }

    /// <summary>Number of headers.</summary>
    public int Count { get; }

    /// <summary>The encoded headers as on the wire (each: varint key length, key, varint value length, value).</summary>
    public ReadOnlyMemory<byte> Encoded => _encoded;

    /// <summary>Enumerates the headers in wire order.</summary>
    public Enumerator GetEnumerator() => new(_encoded, Count);

    /// <summary>Allocation-free enumerator over encoded headers.</summary>
    public struct Enumerator
    {
        private readonly ReadOnlyMemory<byte> _encoded;
        private int _left;
        private int _position;
        private RecordHeaderView _current;

        internal Enumerator(ReadOnlyMemory<byte> encoded, int count)
        {
            _encoded = encoded;
            _left = count;
            _position = 0;
            _current = default;
        }

        /// <summary>The header at the cursor.</summary>
        public readonly RecordHeaderView Current => _current;

        /// <summary>Advances to the next header.</summary>
        public bool MoveNext()
        {
            if (_left <= 0)
            {
                return false;
            }

            // Lengths were checked when the record was read, so a failure here means the memory changed under us.
            ReadOnlySpan<byte> span = _encoded.Span;
            int keyLength = RecordReader.ReadLength(span, ref _position, "header key", allowNull: false, span.Length);
            ReadOnlyMemory<byte> key = _encoded.Slice(_position, keyLength);
            _position += keyLength;
            int valueLength = RecordReader.ReadLength(span, ref _position, "header value", allowNull: true, span.Length);
            bool valueIsNull = valueLength < 0;
            ReadOnlyMemory<byte> value = valueIsNull ? ReadOnlyMemory<byte>.Empty : _encoded.Slice(_position, valueLength);
            if (!valueIsNull)
            {
                _position += valueLength;
            }

            _current = new RecordHeaderView(key, value, valueIsNull);
            _left--;
            return true;
        }
    }
}

/// <summary>One header of a record read from a batch: UTF-8 key bytes and value bytes, slices of the batch.</summary>
public readonly struct RecordHeaderView
{
    internal RecordHeaderView(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, bool valueIsNull)
    {
        Key = key;
        Value = value;
        ValueIsNull = valueIsNull;
    }

    /// <summary>The header key, UTF-8 encoded.</summary>
    public ReadOnlyMemory<byte> Key { get; }

    /// <summary>The header value; empty when null.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True when the value is null (length -1).</summary>
    public bool ValueIsNull { get; }

    /// <summary>Decodes the key (allocates a string).</summary>
    public string GetKeyString() => System.Text.Encoding.UTF8.GetString(Key.Span);
}
