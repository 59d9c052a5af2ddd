namespace Samsa;

/// <summary>A record header: a string key and a value that may be null.</summary>
public readonly struct Header
{
    public Header(string key, ReadOnlyMemory<byte> value, bool isValueNull = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Value = value;
        IsValueNull = isValueNull;
    }

    public Header(string key, byte[]? value)
        : this(key, value, value is null)
    {
    }

    public string Key { get; }

    /// <summary>The value bytes (empty when <see cref="IsValueNull"/>).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    public bool IsValueNull { get; }

    /// <summary>A copy of the value, or null.</summary>
    public byte[]? GetValueBytes() => IsValueNull ? null : Value.ToArray();

    public override string ToString() => IsValueNull ? $"{Key}=null" : $"{Key}=({Value.Length} bytes)";
}
