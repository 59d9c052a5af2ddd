namespace Samsa;

/// <summary>
/// Turns the bytes of a received key or value into <typeparamref name="T"/>. Implementations are called
/// concurrently from any thread. <paramref name="data"/> is only valid during the call: copy what you keep.
/// </summary>
/// <typeparam name="T">The key or value type.</typeparam>
public interface IDeserializer<out T>
{
    /// <summary>Decodes <paramref name="data"/>; <paramref name="isNull"/> is true for a Kafka null (data is then empty).</summary>
    T Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context);
}
