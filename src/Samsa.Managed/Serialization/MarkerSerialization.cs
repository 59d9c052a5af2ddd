using System.Buffers;

namespace Samsa.Serialization;

/// <summary>The <see cref="Samsa.Null"/> type: always a Kafka null, writes nothing.</summary>
internal sealed class NullSerializer : ISerializer<Null?>
{
    public static readonly NullSerializer Instance = new();

    private NullSerializer()
    {
    }

    public void Serialize(Null? value, IBufferWriter<byte> output, in SerializationContext context)
    {
    }

    public bool IsNull(Null? value) => true;
}

/// <summary>
/// The <see cref="Samsa.Null"/> type: accepts only a Kafka null and fails on data, so a consumer that expects
/// keyless messages notices keyed ones (as Confluent.Kafka's does).
/// </summary>
internal sealed class NullDeserializer : IDeserializer<Null?>
{
    public static readonly NullDeserializer Instance = new();

    private NullDeserializer()
    {
    }

    public Null? Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context)
    {
        if (!isNull)
        {
            DeserializationErrors.ThrowNotNull(data.Length, context);
        }

        return null;
    }
}

/// <summary>Skips whatever is there, null or not, and returns null.</summary>
internal sealed class IgnoreDeserializer : IDeserializer<Ignore?>
{
    public static readonly IgnoreDeserializer Instance = new();

    private IgnoreDeserializer()
    {
    }

    public Ignore? Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context) => null;
}
