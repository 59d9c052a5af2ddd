using Samsa.Serialization;

namespace Samsa;

/// <summary>
/// The built-in deserializers, stateless singletons and thread-safe. The fixed-size ones allocate nothing;
/// the string and byte ones allocate exactly the object they return. They decode what Confluent.Kafka's and
/// the Java client's built-ins encode, and raise a <see cref="KafkaException"/> coded _KEY_DESERIALIZATION or
/// _VALUE_DESERIALIZATION on data they cannot decode.
/// </summary>
public static class Deserializers
{
    /// <summary>UTF-8 to string (invalid sequences become U+FFFD); a Kafka null to null.</summary>
    public static IDeserializer<string?> Utf8 => Utf8Deserializer.Instance;

    /// <summary>A copy of the bytes; a Kafka null to null.</summary>
    public static IDeserializer<byte[]?> ByteArray => ByteArrayDeserializer.Instance;

    /// <summary>A copy of the bytes; a Kafka null to empty memory (use <see cref="ByteArray"/> to tell them apart).</summary>
    public static IDeserializer<ReadOnlyMemory<byte>> Memory => MemoryDeserializer.Instance;

    /// <summary>For <see cref="Samsa.Null"/>: accepts only a Kafka null and fails on any data.</summary>
    public static IDeserializer<Null?> Null => NullDeserializer.Instance;

    /// <summary>For <see cref="Samsa.Ignore"/>: skips the data, whatever it is, and returns null.</summary>
    public static IDeserializer<Ignore?> Ignore => IgnoreDeserializer.Instance;

    /// <summary>4 bytes, big-endian; fails on null or any other length.</summary>
    public static IDeserializer<int> Int32 => Int32Deserializer.Instance;

    /// <summary>8 bytes, big-endian; fails on null or any other length.</summary>
    public static IDeserializer<long> Int64 => Int64Deserializer.Instance;

    /// <summary>IEEE 754 bits, 4 bytes, big-endian; fails on null or any other length.</summary>
    public static IDeserializer<float> Single => SingleDeserializer.Instance;

    /// <summary>IEEE 754 bits, 8 bytes, big-endian; fails on null or any other length.</summary>
    public static IDeserializer<double> Double => DoubleDeserializer.Instance;

    /// <summary>
    /// The built-in deserializer for <typeparamref name="T"/>: string, byte[], ReadOnlyMemory&lt;byte&gt;,
    /// <see cref="Samsa.Null"/>, <see cref="Samsa.Ignore"/>, int, long, float or double; chosen without reflection.
    /// </summary>
    /// <exception cref="KafkaException">There is no built-in deserializer for <typeparamref name="T"/> (_INVALID_ARG).</exception>
    public static IDeserializer<T> For<T>()
    {
        object? deserializer =
            typeof(T) == typeof(string) ? Utf8Deserializer.Instance
            : typeof(T) == typeof(byte[]) ? ByteArrayDeserializer.Instance
            : typeof(T) == typeof(ReadOnlyMemory<byte>) ? MemoryDeserializer.Instance
            : typeof(T) == typeof(Null) ? NullDeserializer.Instance
            : typeof(T) == typeof(Ignore) ? IgnoreDeserializer.Instance
            : typeof(T) == typeof(int) ? Int32Deserializer.Instance
            : typeof(T) == typeof(long) ? Int64Deserializer.Instance
            : typeof(T) == typeof(float) ? SingleDeserializer.Instance
            : typeof(T) == typeof(double) ? DoubleDeserializer.Instance
            : null;

        return deserializer as IDeserializer<T> ?? throw BuiltInTypes.NoneFor(typeof(T), "deserializer");
    }
}
