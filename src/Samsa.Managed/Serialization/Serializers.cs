using Samsa.Serialization;

namespace Samsa;

/// <summary>
/// The built-in serializers. Each is a stateless singleton, thread-safe, and allocates nothing per call.
/// Their encodings equal Confluent.Kafka's and the Java client's built-ins byte for byte.
/// </summary>
public static class Serializers
{
    /// <summary>UTF-8 strings; a null string is sent as a Kafka null, "" as an empty payload.</summary>
    public static ISerializer<string?> Utf8 => Utf8Serializer.Instance;

    /// <summary>The bytes as given; a null array is sent as a Kafka null.</summary>
    public static ISerializer<byte[]?> ByteArray => ByteArraySerializer.Instance;

    /// <summary>The bytes as given; never a Kafka null (use <see cref="ByteArray"/> to send nulls).</summary>
    public static ISerializer<ReadOnlyMemory<byte>> Memory => MemorySerializer.Instance;

    /// <summary>For <see cref="Samsa.Null"/>: always a Kafka null.</summary>
    public static ISerializer<Null?> Null => NullSerializer.Instance;

    /// <summary>4 bytes, big-endian.</summary>
    public static ISerializer<int> Int32 => Int32Serializer.Instance;

    /// <summary>8 bytes, big-endian.</summary>
    public static ISerializer<long> Int64 => Int64Serializer.Instance;

    /// <summary>The IEEE 754 bits, 4 bytes, big-endian.</summary>
    public static ISerializer<float> Single => SingleSerializer.Instance;

    /// <summary>The IEEE 754 bits, 8 bytes, big-endian.</summary>
    public static ISerializer<double> Double => DoubleSerializer.Instance;

    /// <summary>
    /// The built-in serializer for <typeparamref name="T"/>: string, byte[], ReadOnlyMemory&lt;byte&gt;,
    /// <see cref="Samsa.Null"/>, int, long, float or double. Chosen by type tests the JIT and NativeAOT fold
    /// away, without reflection.
    /// </summary>
    /// <exception cref="KafkaException">There is no built-in serializer for <typeparamref name="T"/> (_INVALID_ARG).</exception>
    public static ISerializer<T> For<T>()
    {
        object? serializer =
            typeof(T) == typeof(string) ? Utf8Serializer.Instance
            : typeof(T) == typeof(byte[]) ? ByteArraySerializer.Instance
            : typeof(T) == typeof(ReadOnlyMemory<byte>) ? MemorySerializer.Instance
            : typeof(T) == typeof(Null) ? NullSerializer.Instance
            : typeof(T) == typeof(int) ? Int32Serializer.Instance
            : typeof(T) == typeof(long) ? Int64Serializer.Instance
            : typeof(T) == typeof(float) ? SingleSerializer.Instance
            : typeof(T) == typeof(double) ? DoubleSerializer.Instance
            : null;

        return serializer as ISerializer<T> ?? throw BuiltInTypes.NoneFor(typeof(T), "serializer");
    }
}
