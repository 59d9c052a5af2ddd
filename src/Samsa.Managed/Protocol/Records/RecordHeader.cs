using System.Text;

namespace Samsa.Protocol.Records;

/// <summary>
/// A header to write with a produced record: a key (a string, or UTF-8 bytes already encoded) and a value that
/// may be null. A small struct so that a span of them passes through the producer without allocation.
/// </summary>
public readonly struct RecordHeader
{
    /// <summary>A header with a string key; the key is encoded to UTF-8 straight into the batch.</summary>
    public RecordHeader(string key, ReadOnlyMemory<byte> value, bool valueIsNull = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        KeyUtf8 = default;
        Value = value;
        ValueIsNull = valueIsNull;
    }

    private RecordHeader(ReadOnlyMemory<byte> keyUtf8, ReadOnlyMemory<byte> value, bool valueIsNull)
    {
        Key = null;
        KeyUtf8 = keyUtf8;
        Value = value;
        ValueIsNull = valueIsNull;
    }

    /// <summary>A header whose key is already UTF-8 encoded (nothing is re-encoded per record).</summary>
    public static RecordHeader FromUtf8(ReadOnlyMemory<byte> keyUtf8, ReadOnlyMemory<byte> value, bool valueIsNull = false) =>
        new(keyUtf8, value, valueIsNull);

    /// <summary>The key as a string, or null when the key was given as UTF-8 bytes.</summary>
    public string? Key { get; }

    /// <summary>The key as UTF-8 bytes, when it was given that way.</summary>
    public ReadOnlyMemory<byte> KeyUtf8 { get; }

    /// <summary>The value bytes; ignored when <see cref="ValueIsNull"/>.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True for a null value (length -1 on the wire).</summary>
    public bool ValueIsNull { get; }

    internal int KeyByteCount => Key is null ? KeyUtf8.Length : Encoding.UTF8.GetByteCount(Key);

    internal int WriteKey(Span<byte> destination)
    {
        if (Key is null)
        {
            KeyUtf8.Span.CopyTo(destination);
            return KeyUtf8.Length;
        }

        return Encoding.UTF8.GetBytes(Key.AsSpan(), destination);
    }
}
