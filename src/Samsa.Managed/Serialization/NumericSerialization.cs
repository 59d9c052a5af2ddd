using System.Buffers;
using System.Buffers.Binary;

namespace Samsa.Serialization;

// Fixed-size numbers in network byte order (big-endian): the encoding of Java's IntegerSerializer,
// LongSerializer, FloatSerializer and DoubleSerializer and of Confluent.Kafka's built-ins. Floating-point
// values keep their exact bits, NaN payloads included.

internal sealed class Int32Serializer : ISerializer<int>
{
    public static readonly Int32Serializer Instance = new();

    private Int32Serializer()
    {
    }

    public void Serialize(int value, IBufferWriter<byte> output, in SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(sizeof(int)), value);
        output.Advance(sizeof(int));
    }

    public bool IsNull(int value) => false;
}

internal sealed class Int64Serializer : ISerializer<long>
{
    public static readonly Int64Serializer Instance = new();

    private Int64Serializer()
    {
    }

    public void Serialize(long value, IBufferWriter<byte> output, in SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(sizeof(long)), value);
        output.Advance(sizeof(long));
    }

    public bool IsNull(long value) => false;
}

internal sealed class SingleSerializer : ISerializer<float>
{
    public static readonly SingleSerializer Instance = new();

    private SingleSerializer()
    {
    }

    public void Serialize(float value, IBufferWriter<byte> output, in SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(sizeof(float)), BitConverter.SingleToInt32Bits(value));
        output.Advance(sizeof(float));
    }

    public bool IsNull(float value) => false;
}

internal sealed class DoubleSerializer : ISerializer<double>
{
    public static readonly DoubleSerializer Instance = new();

    private DoubleSerializer()
    {
    }

    public void Serialize(double value, IBufferWriter<byte> output, in SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(sizeof(double)), BitConverter.DoubleToInt64Bits(value));
        output.Advance(sizeof(double));
    }

    public bool IsNull(double value) => false;
}

internal sealed class Int32Deserializer : IDeserializer<int>
{
    public static readonly Int32Deserializer Instance = new();

    private Int32Deserializer()
    {
    }

    public int Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context)
    {
        FixedSize.Check(data, isNull, sizeof(int), "Int32", context);
        return BinaryPrimitives.ReadInt32BigEndian(data);
    }
}

internal sealed class Int64Deserializer : IDeserializer<long>
{
    public static readonly Int64Deserializer Instance = new();

    private Int64Deserializer()
    {
    }

    public long Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context)
    {
        FixedSize.Check(data, isNull, sizeof(long), "Int64", context);
        return BinaryPrimitives.ReadInt64BigEndian(data);
    }
}

internal sealed class SingleDeserializer : IDeserializer<float>
{
    public static readonly SingleDeserializer Instance = new();

    private SingleDeserializer()
    {
    }

    public float Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context)
    {
        FixedSize.Check(data, isNull, sizeof(float), "Single", context);
        return BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32BigEndian(data));
    }
}

internal sealed class DoubleDeserializer : IDeserializer<double>
{
    public static readonly DoubleDeserializer Instance = new();

    private DoubleDeserializer()
    {
    }

    public double Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context)
    {
        FixedSize.Check(data, isNull, sizeof(double), "Double", context);
        return BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(data));
    }
}

/// <summary>A fixed-size number is never null and has exactly its size.</summary>
internal static class FixedSize
{
    public static void Check(ReadOnlySpan<byte> data, bool isNull, int size, string type, in SerializationContext context)
    {
        if (isNull)
        {
            DeserializationErrors.ThrowNull(type, context);
        }

        if (data.Length != size)
        {
            DeserializationErrors.ThrowLength(type, size, data.Length, context);
        }
    }
}
