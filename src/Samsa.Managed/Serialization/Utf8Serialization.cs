using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Samsa.Serialization;

/// <summary>
/// Strings as UTF-8, a null string as a Kafka null. Invalid UTF-16 (a lone surrogate) becomes U+FFFD, as
/// <see cref="Encoding.UTF8"/> and Confluent.Kafka encode it.
/// </summary>
internal sealed class Utf8Serializer : ISerializer<string?>
{
    public static readonly Utf8Serializer Instance = new();

    // Up to this length the worst case (3 bytes per UTF-16 unit) is asked for directly, which skips a counting
    // pass; longer strings are counted first so a pooled writer is not asked for three times what it needs.
    private const int DirectMaxChars = 1024;

    private Utf8Serializer()
    {
    }

    public void Serialize(string? value, IBufferWriter<byte> output, in SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        int size = value.Length <= DirectMaxChars
            ? Encoding.UTF8.GetMaxByteCount(value.Length)
            : Encoding.UTF8.GetByteCount(value);
        int written = Encoding.UTF8.GetBytes(value, output.GetSpan(size));
        output.Advance(written);
    }

    public bool IsNull(string? value) => value is null;
}

/// <summary>UTF-8 bytes to a string (invalid sequences become U+FFFD); a Kafka null to a null string.</summary>
internal sealed class Utf8Deserializer : IDeserializer<string?>
{
    public static readonly Utf8Deserializer Instance = new();

    private Utf8Deserializer()
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? Deserialize(ReadOnlySpan<byte> data, bool isNull, in SerializationContext context) =>
        isNull ? null : Encoding.UTF8.GetString(data);
}
