namespace Samsa;

/// <summary>
/// What a serializer or deserializer may want to know about the message: which component it handles, the
/// topic, and the headers. Passed by <c>in</c> reference, so building one allocates nothing.
/// </summary>
public readonly struct SerializationContext
{
    private readonly string? _topic;

    public SerializationContext(MessageComponentType component, string topic, IReadOnlyList<Header>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Component = component;
        _topic = topic;
        Headers = headers;
    }

    /// <summary>Key or value.</summary>
    public MessageComponentType Component { get; }

    /// <summary>The topic ("" for a default context).</summary>
    public string Topic => _topic ?? string.Empty;

    /// <summary>
    /// The message headers, or null when there are none. A serializer may read them; index them with
    /// <c>Count</c> and the indexer to stay allocation-free (foreach over the interface boxes an enumerator).
    /// </summary>
    public IReadOnlyList<Header>? Headers { get; }
}
