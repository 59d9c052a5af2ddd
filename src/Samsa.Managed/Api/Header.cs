namespace Samsa;

/// <summary>
/// A message header: a string key and a byte value that may be null (Kafka tells a null value, length -1 on
/// the wire, from an empty one). A small struct so headers pass to serializers without allocation.
/// </summary>
public readonly struct Header
{
    private readonly string? _key;

    /// <summary>A header; pass <paramref name="valueIsNull"/> true for a null value (the value is then ignored).</summary>
    public Header(string key, ReadOnlyMemory<byte> value, bool valueIsNull = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        Value = valueIsNull ? default : value;
        ValueIsNull = valueIsNull;
    }

    /// <summary>A header from an array; null means a null value.</summary>
    public Header(string key, byte[]? value)
        : this(key, value, value is null)
    {
    }

    /// <summary>The key ("" for a default-constructed header).</summary>
    public string Key => _key ?? string.Empty;

    /// <summary>The value bytes; empty when <see cref="ValueIsNull"/>.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True for a null value.</summary>
    public bool ValueIsNull { get; }

    /// <summary>A copy of the value, or null.</summary>
    public byte[]? GetValueBytes() => ValueIsNull ? null : Value.ToArray();

    public override string ToString() => ValueIsNull ? $"{Key}=null" : $"{Key}=({Value.Length} bytes)";
}
