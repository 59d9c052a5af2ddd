using System.Text;
using CK = Confluent.Kafka;
using static Samsa.Tests.Serialization.SerializationTestKit;

namespace Samsa.Tests.Serialization;

/// <summary>
/// The built-ins encode exactly what Confluent.Kafka 2.16.0's built-ins encode (null included), and decode the
/// same values from the same bytes, failing where Confluent's fail.
/// </summary>
public class ConfluentParityTests
{
    private static readonly CK.SerializationContext ConfluentContext = new(CK.MessageComponentType.Value, "topic-a");

    public static readonly int[] Ints = [0, 1, -1, 255, 256, int.MinValue, int.MaxValue, 0x01020304, unchecked((int)0xDEADBEEF)];

    public static readonly long[] Longs = [0, 1, -1, long.MinValue, long.MaxValue, 0x0102030405060708, unchecked((long)0xDEADBEEFCAFEBABE)];

    public static readonly float[] Floats =
    [
        0f, -0f, 1f, -1.5f, float.MinValue, float.MaxValue, float.Epsilon, float.NaN, float.PositiveInfinity,
        float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC00123), BitConverter.Int32BitsToSingle(0x00000F00), 3.14159274f,
    ];

    public static readonly double[] Doubles =
    [
        0d, -0d, 1d, -1.5d, double.MinValue, double.MaxValue, double.Epsilon, double.NaN, double.PositiveInfinity,
        double.NegativeInfinity, BitConverter.Int64BitsToDouble(0x7FF8000000000123), Math.PI,
    ];

    public static readonly string?[] Strings =
    [
        null, "", "a", "hello, world", "héllo wörld", "日本語のテキスト", "emoji 😀 pair", "\uD800 lone high", "lone low \uDC00",
        "tail high \uD83D", "nul\0inside", new string('x', 1024), new string('é', 1025), string.Concat(Enumerable.Repeat("😀", 3000)),
    ];

    [Fact]
    public void Int32_encoding_equals_Confluent()
    {
        foreach (int value in Ints.Concat(RandomInts()))
        {
            Assert.Equal(CK.Serializers.Int32.Serialize(value, ConfluentContext), Encode(Serializers.Int32, value));
        }
    }

    [Fact]
    public void Int64_encoding_equals_Confluent()
    {
        var random = new Random(2);
        foreach (long value in Longs.Concat(Enumerable.Range(0, 1_000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue))))
        {
            Assert.Equal(CK.Serializers.Int64.Serialize(value, ConfluentContext), Encode(Serializers.Int64, value));
        }
    }

    [Fact]
    public void Single_encoding_equals_Confluent_bit_for_bit()
    {
        foreach (float value in Floats.Concat(RandomInts().Select(BitConverter.Int32BitsToSingle)))
        {
            Assert.Equal(CK.Serializers.Single.Serialize(value, ConfluentContext), Encode(Serializers.Single, value));
        }
    }

    [Fact]
    public void Double_encoding_equals_Confluent_bit_for_bit()
    {
        var random = new Random(3);
        foreach (double value in Doubles.Concat(Enumerable.Range(0, 1_000).Select(_ => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)))))
        {
            Assert.Equal(CK.Serializers.Double.Serialize(value, ConfluentContext), Encode(Serializers.Double, value));
        }
    }

    [Fact]
    public void Utf8_encoding_equals_Confluent_including_null_and_invalid_UTF16()
    {
        foreach (string? value in Strings)
        {
            Assert.Equal(CK.Serializers.Utf8.Serialize(value!, ConfluentContext), Encode(Serializers.Utf8, value));
        }
    }

    [Fact]
    public void ByteArray_encoding_equals_Confluent_including_null()
    {
        var random = new Random(4);
        byte[]?[] values = [null, [], [0], .. Enumerable.Range(0, 50).Select(i => { byte[] b = new byte[i * 7]; random.NextBytes(b); return b; })];
        foreach (byte[]? value in values)
        {
            Assert.Equal(CK.Serializers.ByteArray.Serialize(value!, ConfluentContext), Encode(Serializers.ByteArray, value));
            Assert.Equal(value ?? [], Encode(Serializers.Memory, value.AsMemory()));
        }
    }

    [Fact]
    public void Null_encoding_equals_Confluent()
    {
        Assert.Null(CK.Serializers.Null.Serialize(null!, ConfluentContext));
        Assert.Null(Encode(Serializers.Null, null));
    }

    [Fact]
    public void Decoding_equals_Confluent_for_every_length_and_null()
    {
        var random = new Random(6);
        var inputs = new List<byte[]?> { null };
        for (int length = 0; length <= 12; length++)
        {
            for (int i = 0; i < 40; i++)
            {
                byte[] data = new byte[length];
                random.NextBytes(data);
                inputs.Add(data);
            }
        }

        inputs.Add(Encoding.UTF8.GetBytes("plain ascii and ü and 😀"));
        inputs.Add([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC]); // invalid UTF-8

        foreach (byte[]? data in inputs)
        {
            AssertSameOutcome(CK.Deserializers.Int32, Deserializers.Int32, data, (a, b) => a == b);
            AssertSameOutcome(CK.Deserializers.Int64, Deserializers.Int64, data, (a, b) => a == b);
            AssertSameOutcome(CK.Deserializers.Single, Deserializers.Single, data, (a, b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b));
            AssertSameOutcome(CK.Deserializers.Double, Deserializers.Double, data, (a, b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b));
            AssertSameOutcome(CK.Deserializers.Utf8, Deserializers.Utf8, data, (a, b) => a == b);
            AssertSameOutcome(CK.Deserializers.ByteArray, Deserializers.ByteArray, data, (a, b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b));
            AssertSameOutcome(CK.Deserializers.Null, Deserializers.Null, data, (a, b) => a is null && b is null);
            AssertSameOutcome(CK.Deserializers.Ignore, Deserializers.Ignore, data, (a, b) => a is null && b is null);
        }
    }

    private static void AssertSameOutcome<TConfluent, TSamsa>(
        CK.IDeserializer<TConfluent> confluent, IDeserializer<TSamsa> samsa, byte[]? data, Func<TConfluent, TSamsa, bool> equal)
    {
        string input = data is null ? "null" : Convert.ToHexString(data);
        Exception? confluentError = null;
        TConfluent expected = default!;
        try
        {
            expected = confluent.Deserialize(data, data is null, ConfluentContext);
        }
        catch (ArgumentException e)
        {
            confluentError = e;
        }

        if (confluentError is not null)
        {
            var error = Assert.Throws<KafkaException>(() => Decode(samsa, data));
            Assert.Equal(ErrorCode.LocalValueDeserialization, error.Error);
            return;
        }

        TSamsa actual = Decode(samsa, data);
        Assert.True(equal(expected, actual), $"{typeof(TSamsa).Name} of {input}: Confluent {expected}, Samsa {actual}");
    }

    private static IEnumerable<int> RandomInts()
    {
        var random = new Random(1);
        for (int i = 0; i < 1_000; i++)
        {
            yield return random.Next(int.MinValue, int.MaxValue);
        }
    }
}
