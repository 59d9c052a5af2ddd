namespace Samsa;

/// <summary>A message to produce: key, value, optional headers and timestamp.</summary>
public sealed class Message<TKey, TValue>
{
    public TKey Key { get; set; } = default!;

    public TValue Value { get; set; } = default!;

    /// <summary>Headers, or null for none.</summary>
    public Headers? Headers { get; set; }

    /// <summary>The timestamp; <see cref="Timestamp.Default"/> means "now".</summary>
    public Timestamp Timestamp { get; set; } = Timestamp.Default;
}
