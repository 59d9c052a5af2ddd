using System.Buffers;

namespace Samsa;

/// <summary>
/// Turns a key or value into bytes for the producer. Implementations are called concurrently from any thread
/// and should be stateless (or thread-safe) and allocation-free.
/// </summary>
/// <typeparam name="T">The key or value type.</typeparam>
public interface ISerializer<in T>
{
    /// <summary>
    /// Appends the encoding of <paramref name="value"/> to <paramref name="output"/>. Not called for a value
    /// that <see cref="IsNull"/> reports null; writing nothing otherwise produces an empty, non-null payload.
    /// </summary>
    void Serialize(T value, IBufferWriter<byte> output, in SerializationContext context);

    /// <summary>
    /// True when <paramref name="value"/> is sent as a Kafka null (no bytes at all, length -1 on the wire),
    /// which is distinct from an empty payload. By default, a null reference (or an empty <see cref="Nullable{T}"/>).
    /// </summary>
    bool IsNull(T value) => value is null;
}
