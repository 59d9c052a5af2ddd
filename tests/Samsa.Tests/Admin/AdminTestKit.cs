using Samsa.TestSupport;

namespace Samsa.Tests.Admin;

/// <summary>An admin client on a fresh <see cref="FakeKafka"/>.</summary>
internal static class AdminTestKit
{
    public static AdminClient Client(FakeKafka fake, int requestTimeoutMs = 10_000) =>
        new(new AdminConfig
        {
            BootstrapServers = fake.BootstrapServers,
            RequestTimeout = TimeSpan.FromMilliseconds(requestTimeoutMs),
            RetryBackoff = TimeSpan.FromMilliseconds(20),
            RetryBackoffMax = TimeSpan.FromMilliseconds(100),
            ReconnectBackoff = TimeSpan.FromMilliseconds(20),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(100),
        });

    public static CancellationToken Timeout(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>A consumer-protocol assignment (version 0) of some partitions of one topic.</summary>
    public static byte[] Assignment(string topic, params int[] partitions)
    {
        var assignment = new Samsa.Protocol.Messages.ConsumerProtocolAssignment();
        assignment.AssignedPartitions.Add(new Samsa.Protocol.Messages.ConsumerProtocolAssignment.TopicPartition { Topic = topic, Partitions = [.. partitions] });
        using var buffer = new Samsa.Buffers.PooledBufferWriter(64);
        var writer = new Samsa.Protocol.ProtocolWriter(buffer);
        writer.WriteInt16(0);
        assignment.Write(ref writer, 0);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
