using System.Buffers;
using System.Text;
using static Samsa.Tests.Serialization.SerializationTestKit;

namespace Samsa.Tests.Serialization;

/// <summary>Round trips, null handling and errors of the built-in serializers and deserializers.</summary>
public class BuiltInSerializerTests
{
    [Fact]
    public void Numbers_round_trip_exactly()
    {
        foreach (int v in ConfluentParityTests.Ints)
        {
            Assert.Equal(v, Decode(Deserializers.Int32, Encode(Serializers.Int32, v)));
        }

        foreach (long v in ConfluentParityTests.Longs)
        {
            Assert.Equal(v, Decode(Deserializers.Int64, Encode(Serializers.Int64, v)));
        }

        foreach (float v in ConfluentParityTests.Floats)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(v), BitConverter.SingleToInt32Bits(Decode(Deserializers.Single, Encode(Serializers.Single, v))));
        }

        foreach (double v in ConfluentParityTests.Doubles)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(Decode(Deserializers.Double, Encode(Serializers.Double, v))));
        }
    }

    [Fact]
    public void Numbers_are_big_endian()
    {
        Assert.Equal([0x01, 0x02, 0x03, 0x04], Encode(Serializers.Int32, 0x01020304));
        Assert.Equal([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08], Encode(Serializers.Int64, 0x0102030405060708));
        Assert.Equal([0x3F, 0x80, 0x00, 0x00], Encode(Serializers.Single, 1f));
        Assert.Equal([0x3F, 0xF0, 0, 0, 0, 0, 0, 0], Encode(Serializers.Double, 1d));
    }

    [Fact]
    public void Strings_round_trip_and_null_stays_null()
    {
        foreach (string? s in ConfluentParityTests.Strings)
        {
            if (s is null || !s.Contains('\uD800', StringComparison.Ordinal) && !s.Contains('\uDC00', StringComparison.Ordinal) && !s.EndsWith('\uD83D'))
            {
                Assert.Equal(s, Decode(Deserializers.Utf8, Encode(Serializers.Utf8, s)));
            }
        }

        Assert.True(Serializers.Utf8.IsNull(null));
        Assert.False(Serializers.Utf8.IsNull(""));
        Assert.Equal(Array.Empty<byte>(), Encode(Serializers.Utf8, ""));
        Assert.Equal("", Decode(Deserializers.Utf8, []));
    }

    [Fact]
    public void Lone_surrogates_become_the_replacement_character() =>
        Assert.Equal([(byte)'a', 0xEF, 0xBF, 0xBD, (byte)'b'], Encode(Serializers.Utf8, "a\uD800b"));

    [Fact]
    public void Bytes_round_trip_as_copies_and_null_is_distinct_from_empty()
    {
        byte[] original = [1, 2, 3, 4, 5];
        byte[]? copy = Decode(Deserializers.ByteArray, Encode(Serializers.ByteArray, original));
        Assert.Equal(original, copy);
        Assert.NotSame(original, copy);

        Assert.Null(Encode(Serializers.ByteArray, null));
        Assert.Null(Decode(Deserializers.ByteArray, null));
        Assert.Equal(Array.Empty<byte>(), Encode(Serializers.ByteArray, []));
        Assert.Equal(Array.Empty<byte>(), Decode(Deserializers.ByteArray, []));

        ReadOnlyMemory<byte> memory = Decode(Deserializers.Memory, Encode(Serializers.Memory, original.AsMemory(1, 3)));
        Assert.Equal([2, 3, 4], memory.ToArray());
        Assert.False(Serializers.Memory.IsNull(default));
        Assert.True(Decode(Deserializers.Memory, null).IsEmpty);
    }

    [Fact]
    public void The_memory_deserializer_copies_because_the_span_dies_with_the_call()
    {
        byte[] buffer = [9, 8, 7];
        ReadOnlyMemory<byte> result = Deserializers.Memory.Deserialize(buffer, false, ValueContext);
        buffer[0] = 0;
        Assert.Equal([9, 8, 7], result.ToArray());
    }

    [Fact]
    public void Null_and_Ignore_markers()
    {
        Assert.True(Serializers.Null.IsNull(null));
        Assert.Null(Encode(Serializers.Null, null));
        Assert.Null(Decode(Deserializers.Null, null));
        Assert.Null(Decode(Deserializers.Ignore, null));
        Assert.Null(Decode(Deserializers.Ignore, [1, 2, 3]));
    }

    [Fact]
    public void The_Null_deserializer_rejects_data_naming_the_component_and_topic()
    {
        var error = Assert.Throws<KafkaException>(() => Deserializers.Null.Deserialize([1, 2], false, KeyContext));
        Assert.Equal(ErrorCode.LocalKeyDeserialization, error.Error);
        Assert.Contains("non-null key (topic topic-a) of 2 bytes", error.Message, StringComparison.Ordinal);

        // An empty payload is data too, not a Kafka null.
        Assert.Throws<KafkaException>(() => Deserializers.Null.Deserialize([], false, ValueContext));
    }

    [Fact]
    public void Fixed_size_numbers_reject_null_and_wrong_lengths_with_the_component_error_code()
    {
        var nullKey = Assert.Throws<KafkaException>(() => Deserializers.Int32.Deserialize([], true, KeyContext));
        Assert.Equal(ErrorCode.LocalKeyDeserialization, nullKey.Error);
        Assert.Contains("null key (topic topic-a) as Int32", nullKey.Message, StringComparison.Ordinal);

        var shortValue = Assert.Throws<KafkaException>(() => Deserializers.Int64.Deserialize([1, 2, 3], false, ValueContext));
        Assert.Equal(ErrorCode.LocalValueDeserialization, shortValue.Error);
        Assert.Contains("value (topic topic-a) of 3 bytes as Int64: expected exactly 8 bytes", shortValue.Message, StringComparison.Ordinal);

        Assert.Throws<KafkaException>(() => Deserializers.Single.Deserialize([1, 2, 3, 4, 5], false, ValueContext));
        Assert.Throws<KafkaException>(() => Deserializers.Double.Deserialize([1, 2, 3, 4], false, default));
        var noTopic = Assert.Throws<KafkaException>(() => Deserializers.Int32.Deserialize([1], false, default));
        // A default context is the key's, as in Confluent.Kafka (Key = 0).
        Assert.Equal(ErrorCode.LocalKeyDeserialization, noTopic.Error);
        Assert.Contains("a key of 1 bytes as Int32", noTopic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_output_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => Serializers.Int32.Serialize(1, null!, ValueContext));
        Assert.Throws<ArgumentNullException>(() => Serializers.Utf8.Serialize("x", null!, ValueContext));
        Assert.Throws<ArgumentNullException>(() => Serializers.ByteArray.Serialize([1], null!, ValueContext));
    }

    [Fact]
    public void Serializers_append_after_what_is_already_written()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("ab"u8);
        Serializers.Int32.Serialize(0x01020304, output, ValueContext);
        Serializers.Utf8.Serialize("é", output, ValueContext);
        Assert.Equal([(byte)'a', (byte)'b', 1, 2, 3, 4, 0xC3, 0xA9], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Long_strings_are_counted_and_encoded_exactly()
    {
        string text = string.Concat(Enumerable.Repeat("añ😀z", 2_000));
        byte[]? encoded = Encode(Serializers.Utf8, text);
        Assert.Equal(Encoding.UTF8.GetBytes(text), encoded);
        Assert.Equal(text, Decode(Deserializers.Utf8, encoded));
    }
}
