namespace Samsa.Serialization;

/// <summary>The error of <see cref="Serializers.For{T}"/> and <see cref="Deserializers.For{T}"/> for a type without a built-in.</summary>
internal static class BuiltInTypes
{
    public static KafkaException NoneFor(Type type, string kind) =>
        new(
            ErrorCode.LocalInvalidArg,
            $"no built-in {kind} for {type}; pass one (built-ins: string, byte[], ReadOnlyMemory<byte>, Samsa.Null, "
            + (kind == "deserializer" ? "Samsa.Ignore, " : string.Empty)
            + "int, long, float, double)");
}
