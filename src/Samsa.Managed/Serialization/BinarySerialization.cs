using System.Buffers;
using System.Runtime.CompilerServices;

namespace Samsa.Serialization;

/// <summary>Bytes as they are; a null array is a Kafka null.</summary>
internal sealed class ByteArraySerializer : ISerializer<byte[]?>
{
    public static readonly ByteArraySerializer Instance = new();

    private ByteArraySerializer()
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Serialize(byte[]? value, IBufferWriter<byte> output, in SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (value is not null)
        {
            output.Write(value);
        }
    }

    public bool IsNull(byte[]? value) => value is null;
}

/// <summary>A copy of the bytes (the span dies with the call); a Kafka null is a null array.</summary>
internal sealed class ByteArrayDeserializer : IDeserializer<byte[]?>
{
    public static readonly ByteArrayDeserializer Instance = new();

    private ByteArrayDeserializer()
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte[]? Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context) =>
        isNull ? null : data.ToArray();
}

/// <summary>Bytes as they are. A <see cref="ReadOnlyMemory{T}"/> cannot be null, so it never sends a Kafka null.</summary>
internal sealed class MemorySerializer : ISerializer<ReadOnlyMemory<byte>>
{
    public static readonly MemorySerializer Instance = new();

    private MemorySerializer()
    {
    }

    public void Serialize(ReadOnlyMemory<byte> value, IBufferWriter<byte> output, in SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(value.Span);
    }

    public bool IsNull(ReadOnlyMemory<byte> value) => false;
}

/// <summary>
/// A copy of the bytes. A Kafka null becomes empty memory, indistinguishable from an empty payload:
/// use the byte array deserializer when the difference matters.
/// </summary>
internal sealed class MemoryDeserializer : IDeserializer<ReadOnlyMemory<byte>>
{
    public static readonly MemoryDeserializer Instance = new();

    private MemoryDeserializer()
    {
    }

    public ReadOnlyMemory<byte> Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context) =>
        isNull || data.IsEmpty ? ReadOnlyMemory<byte>.Empty : data.ToArray();
}
