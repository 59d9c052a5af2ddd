using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Samsa.Serialization;

/// <summary>
/// The errors the built-in deserializers raise, coded _KEY_DESERIALIZATION or _VALUE_DESERIALIZATION after the
/// component, as librdkafka-based clients report them. Out of line so the decoders stay small.
/// </summary>
internal static class DeserializationErrors
{
    [DoesNotReturn]
    public static void ThrowNull(string type, in SerializationContext context) =>
        throw new KafkaException(
            Code(context),
            $"cannot deserialize a null {Describe(context)} as {type}; use a nullable-aware deserializer");

    [DoesNotReturn]
    public static void ThrowLength(string type, int expected, int actual, in SerializationContext context) =>
        throw new KafkaException(
            Code(context),
            string.Create(
                CultureInfo.InvariantCulture,
                $"cannot deserialize a {Describe(context)} of {actual} bytes as {type}: expected exactly {expected} bytes"));

    [DoesNotReturn]
    public static void ThrowNotNull(int actual, in SerializationContext context) =>
        throw new KafkaException(
            Code(context),
            string.Create(
                CultureInfo.InvariantCulture,
                $"the Null deserializer received a non-null {Describe(context)} of {actual} bytes; only null data is accepted"));

    private static ErrorCode Code(in SerializationContext context) =>
        context.Component == MessageComponentType.Key ? ErrorCode.LocalKeyDeserialization : ErrorCode.LocalValueDeserialization;

    private static string Describe(in SerializationContext context)
    {
        string component = context.Component == MessageComponentType.Key ? "key" : "value";
        return context.Topic.Length == 0 ? component : $"{component} (topic {context.Topic})";
    }
}
