using System.Reflection;
using Samsa.Buffers;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Tests.Protocol;

/// <summary>Every generated message, at every valid version: encode, decode, encode again, compare.</summary>
public sealed class MessageRoundTripTests
{
    public static TheoryData<string> MessageTypes()
    {
        var data = new TheoryData<string>();
        foreach (ApiKey key in MessageCatalog.ApiKeys)
        {
            data.Add(MessageCatalog.RequestType(key).Name);
            data.Add(MessageCatalog.ResponseType(key).Name);
        }

        data.Add(nameof(RequestHeader));
        data.Add(nameof(ResponseHeader));
        data.Add(nameof(ConsumerProtocolSubscription));
        data.Add(nameof(ConsumerProtocolAssignment));
        return data;
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void RoundTripsAtEveryVersion(string typeName)
    {
        Type type = typeof(ProduceRequest).Assembly.GetType("Samsa.Protocol.Messages." + typeName, throwOnError: true)!;
        short lowest = (short)type.GetProperty("LowestSupportedVersion", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        short highest = (short)type.GetProperty("HighestSupportedVersion", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        MethodInfo read = typeof(MessageRoundTripTests).GetMethod(nameof(Decode), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);

        Assert.True(highest >= lowest);
        for (short version = lowest; version <= highest; version++)
        {
            for (int seed = 0; seed < 8; seed++)
            {
                var message = (IKafkaMessage)new MessageFiller(seed * 1000 + version).Create(type);
                byte[] first = Encode(message, version);
                var (decoded, consumed) = ((IKafkaMessage, int))read.Invoke(null, [first, version])!;
                Assert.Equal(first.Length, consumed);
                byte[] second = Encode(decoded, version);
                Assert.True(first.AsSpan().SequenceEqual(second), $"{typeName} v{version} seed {seed}: re-encoding differs.");
            }

            // A message with every field at its default round-trips too.
            var empty = (IKafkaMessage)Activator.CreateInstance(type)!;
            byte[] bytes = Encode(empty, version);
            var (again, used) = ((IKafkaMessage, int))read.Invoke(null, [bytes, version])!;
            Assert.Equal(bytes.Length, used);
            Assert.Equal(bytes, Encode(again, version));
        }
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void TruncatedInputIsAProtocolError(string typeName)
    {
        Type type = typeof(ProduceRequest).Assembly.GetType("Samsa.Protocol.Messages." + typeName, throwOnError: true)!;
        short highest = (short)type.GetProperty("HighestSupportedVersion", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        MethodInfo read = typeof(MessageRoundTripTests).GetMethod(nameof(Decode), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        var message = (IKafkaMessage)new MessageFiller(42).Create(type);
        byte[] full = Encode(message, highest);
        for (int cut = 0; cut < full.Length; cut++)
        {
            var ex = Assert.Throws<TargetInvocationException>(() => read.Invoke(null, [full[..cut], highest]));
            Assert.IsType<ProtocolException>(ex.InnerException);
        }
    }

    internal static byte[] Encode(IKafkaMessage message, short version)
    {
        using var buffer = new PooledBufferWriter(256);
        var writer = new ProtocolWriter(buffer);
        message.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static (IKafkaMessage, int) Decode<T>(byte[] bytes, short version)
        where T : IKafkaMessage<T>
    {
        var reader = new ProtocolReader(bytes);
        T message = T.Read(ref reader, version);
        return (message, reader.Position);
    }
}
