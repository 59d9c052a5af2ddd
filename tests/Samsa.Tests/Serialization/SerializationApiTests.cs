using System.Buffers;

namespace Samsa.Tests.Serialization;

/// <summary>For&lt;T&gt;, the default IsNull, the context and headers, and allocation per call.</summary>
public class SerializationApiTests
{
    [Fact]
    public void For_picks_the_built_in_of_each_supported_type()
    {
        Assert.Same(Serializers.Utf8, Serializers.For<string>());
        Assert.Same(Serializers.ByteArray, Serializers.For<byte[]>());
        Assert.Same(Serializers.Memory, Serializers.For<ReadOnlyMemory<byte>>());
        Assert.Same(Serializers.Null, Serializers.For<Null>());
        Assert.Same(Serializers.Int32, Serializers.For<int>());
        Assert.Same(Serializers.Int64, Serializers.For<long>());
        Assert.Same(Serializers.Single, Serializers.For<float>());
        Assert.Same(Serializers.Double, Serializers.For<double>());

        Assert.Same(Deserializers.Utf8, Deserializers.For<string>());
        Assert.Same(Deserializers.ByteArray, Deserializers.For<byte[]>());
        Assert.Same(Deserializers.Memory, Deserializers.For<ReadOnlyMemory<byte>>());
        Assert.Same(Deserializers.Null, Deserializers.For<Null>());
        Assert.Same(Deserializers.Ignore, Deserializers.For<Ignore>());
        Assert.Same(Deserializers.Int32, Deserializers.For<int>());
        Assert.Same(Deserializers.Int64, Deserializers.For<long>());
        Assert.Same(Deserializers.Single, Deserializers.For<float>());
        Assert.Same(Deserializers.Double, Deserializers.For<double>());
    }

    [Fact]
    public void For_an_unsupported_type_says_to_pass_one()
    {
        var guid = Assert.Throws<KafkaException>(() => Serializers.For<Guid>());
        Assert.Equal(ErrorCode.LocalInvalidArg, guid.Error);
        Assert.Contains("no built-in serializer for System.Guid; pass one", guid.Message, StringComparison.Ordinal);

        var nullableInt = Assert.Throws<KafkaException>(() => Deserializers.For<int?>());
        Assert.Contains("no built-in deserializer for System.Nullable`1[System.Int32]; pass one", nullableInt.Message, StringComparison.Ordinal);

        Assert.Throws<KafkaException>(() => Serializers.For<object>());
        Assert.Throws<KafkaException>(() => Serializers.For<Ignore>());
        Assert.Throws<KafkaException>(() => Deserializers.For<Memory<byte>>());
        Assert.Throws<KafkaException>(() => Deserializers.For<char[]>());
    }

    [Fact]
    public void IsNull_defaults_to_a_null_check()
    {
        ISerializer<string?> reference = new WritesNothing<string?>();
        Assert.True(reference.IsNull(null));
        Assert.False(reference.IsNull(""));

        ISerializer<int?> nullable = new WritesNothing<int?>();
        Assert.True(nullable.IsNull(null));
        Assert.False(nullable.IsNull(0));

        ISerializer<int> value = new WritesNothing<int>();
        Assert.False(value.IsNull(0));
    }

    [Fact]
    public void Serializers_are_contravariant_so_a_nullable_one_serves_a_non_nullable_type()
    {
        ISerializer<string> strings = Serializers.Utf8;
        ISerializer<Null> nulls = Serializers.Null;
        Assert.Same(Serializers.Utf8, strings);
        Assert.True(nulls.IsNull(null!));
    }

    [Fact]
    public void The_context_carries_component_topic_and_headers()
    {
        Header[] headers = [new("trace", new byte[] { 1, 2 }), new("empty", ReadOnlyMemory<byte>.Empty), new("none", new byte[] { 7 }, valueIsNull: true)];
        var context = new SerializationContext(MessageComponentType.Key, "orders", headers);
        Assert.Equal(MessageComponentType.Key, context.Component);
        Assert.Equal("orders", context.Topic);
        Assert.Same(headers, context.Headers);
        Assert.Equal("trace", context.Headers![0].Key);
        Assert.Equal([1, 2], context.Headers[0].Value.ToArray());
        Assert.False(context.Headers[1].ValueIsNull);
        Assert.True(context.Headers[2].ValueIsNull);
        Assert.True(context.Headers[2].Value.IsEmpty);

        SerializationContext none = default;
        Assert.Equal("", none.Topic);
        Assert.Null(none.Headers);
        Assert.Equal("", default(Header).Key);
        Assert.Throws<ArgumentNullException>(() => new SerializationContext(MessageComponentType.Value, null!));
        Assert.Throws<ArgumentNullException>(() => new Header(null!, default));
    }

    [Fact]
    public void Span_based_built_ins_allocate_nothing_per_call()
    {
        var output = new ArrayBufferWriter<byte>(1 << 16);
        byte[] bytes = [1, 2, 3, 4, 5, 6, 7, 8];
        ReadOnlyMemory<byte> memory = bytes;
        string text = "a string of text é 😀";
        byte[] four = [0, 0, 0, 42];
        var context = new SerializationContext(MessageComponentType.Value, "t");
        long sink = 0;

        void Round()
        {
            output.ResetWrittenCount();
            Serializers.Utf8.Serialize(text, output, context);
            Serializers.ByteArray.Serialize(bytes, output, context);
            Serializers.Memory.Serialize(memory, output, context);
            Serializers.Null.Serialize(null, output, context);
            Serializers.Int32.Serialize(42, output, context);
            Serializers.Int64.Serialize(42L, output, context);
            Serializers.Single.Serialize(4.2f, output, context);
            Serializers.Double.Serialize(4.2d, output, context);
            sink += Serializers.Utf8.IsNull(text) ? 1 : 0;
            sink += Serializers.Int32.IsNull(1) ? 1 : 0;
            sink += Deserializers.Int32.Deserialize(four, false, context);
            sink += Deserializers.Int64.Deserialize(bytes, false, context);
            sink += (long)Deserializers.Single.Deserialize(four, false, context);
            sink += (long)Deserializers.Double.Deserialize(bytes, false, context);
            sink += Deserializers.Ignore.Deserialize(bytes, false, context) is null ? 1 : 0;
            sink += Deserializers.Null.Deserialize(default, true, context) is null ? 1 : 0;
            sink += Deserializers.Utf8.Deserialize(default, true, context) is null ? 1 : 0;
            sink += Deserializers.Utf8.Deserialize([], false, context)!.Length;
            sink += Deserializers.ByteArray.Deserialize([], false, context)!.Length;
            sink += Deserializers.Memory.Deserialize(default, true, context).Length;
        }

        for (int i = 0; i < 100; i++)
        {
            Round();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5_000; i++)
        {
            Round();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, sink);
    }

    private sealed class WritesNothing<T> : ISerializer<T>
    {
        public void Serialize(T value, IBufferWriter<byte> output, in SerializationContext context)
        {
        }
    }
}
