using System.Buffers;

namespace Samsa.Tests.Serialization;

/// <summary>Runs a serializer into a fresh buffer; null result means the serializer declared a Kafka null.</summary>
internal static class SerializationTestKit
{
    public static readonly SerializationContext ValueContext = new(MessageComponentType.Value, "topic-a");
    public static readonly SerializationContext KeyContext = new(MessageComponentType.Key, "topic-a");

    public static byte[]? Encode<T>(ISerializer<T> serializer, T value)
    {
        if (serializer.IsNull(value))
        {
            var untouched = new ArrayBufferWriter<byte>();
            serializer.Serialize(value, untouched, ValueContext);
            Assert.Equal(0, untouched.WrittenCount);
            return null;
        }

        var output = new ArrayBufferWriter<byte>(1);
        serializer.Serialize(value, output, ValueContext);
        return output.WrittenSpan.ToArray();
    }

    public static T Decode<T>(IDeserializer<T> deserializer, byte[]? data) =>
        deserializer.Deserialize(data, data is null, ValueContext);
}
