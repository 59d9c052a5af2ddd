using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Tests.Producer;
using Samsa.TestSupport;

namespace Samsa.Tests.Reliability;

/// <summary>
/// A scripted broker on a real socket answers with garbage: undecodable bodies, frames cut mid-way, hostile
/// counts, impossible sizes. The client must drop that connection, report the error (to the caller and in the
/// log) and recover: the next request goes out on a fresh connection and succeeds.
/// </summary>
public sealed class HostileBrokerTests
{
    public enum Garbage
    {
        /// <summary>Right size and correlation id, then random bytes where the body should be.</summary>
        RandomBody,

        /// <summary>A size prefix of 100 bytes, 10 of them sent, then the socket closes.</summary>
        CutMidFrame,

        /// <summary>A body whose first array count is 2^31-1 in a frame of a few bytes.</summary>
        HugeCount,

        /// <summary>A negative size prefix.</summary>
        NegativeSize,

        /// <summary>A correlation id nobody asked for.</summary>
        WrongCorrelationId,
    }

    public static TheoryData<Garbage> AllGarbage() => [.. Enum.GetValues<Garbage>()];

    internal static FakeReply Reply(Garbage kind, FakeRequest request, int seed)
    {
        byte[] frame;
        switch (kind)
        {
            case Garbage.RandomBody:
                frame = new byte[4 + 1 + new Random(seed).Next(1, 40)];
                new Random(seed).NextBytes(frame.AsSpan(4));
                frame[4] = 0xFF; // never a valid leading length, error code or tagged-field count in every response
                BinaryPrimitives.WriteInt32BigEndian(frame, request.CorrelationId);
                return new FakeReply.Raw(frame);
            case Garbage.CutMidFrame:
                frame = new byte[14];
                BinaryPrimitives.WriteInt32BigEndian(frame, 100);
                BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), request.CorrelationId);
                return new FakeReply.UnframedThenClose(frame);
            case Garbage.HugeCount:
                frame = new byte[4 + 1 + 16];
                BinaryPrimitives.WriteInt32BigEndian(frame, request.CorrelationId);
                bool flexibleHeader = MessageCatalog.ResponseHeaderVersion(request.ApiKey, request.Version) >= 1;
                int at = flexibleHeader ? 5 : 4;
                // Both encodings of "2^31-1 elements": an INT32 count and a compact varint one; whichever the
                // response starts with (a count, a throttle time, an error code), no valid response fits.
                byte[] huge = [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0xFF, 0xFF, 0xFF];
                huge.AsSpan(0, Math.Min(huge.Length, frame.Length - at)).CopyTo(frame.AsSpan(at));
                return new FakeReply.Raw(frame);
            case Garbage.NegativeSize:
                return new FakeReply.Unframed([0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0]);
            default:
                frame = new byte[8];
                BinaryPrimitives.WriteInt32BigEndian(frame, request.CorrelationId + 1000);
                return new FakeReply.Raw(frame);
        }
    }

    [Theory]
    [MemberData(nameof(AllGarbage))]
    public async Task AGarbageResponseDropsTheConnectionAndTheNextRequestSucceedsOnAFreshOne(Garbage kind)
    {
        await using var broker = new FakeBroker(1);
        int heartbeats = 0;
        broker.Handler = r => r.ApiKey switch
        {
            ApiKey.Metadata => new FakeReply.Message(new MetadataResponse
            {
                ClusterId = "hostile",
                ControllerId = 1,
                Brokers = { new MetadataResponse.MetadataResponseBroker { NodeId = 1, Host = "127.0.0.1", Port = broker.Port } },
            }),
            ApiKey.Heartbeat => Interlocked.Increment(ref heartbeats) == 1
                ? Reply(kind, r, 7)
                : new FakeReply.Message(new HeartbeatResponse()),
            _ => null,
        };

        var logs = new CapturingLoggerFactory();
        var options = new ClusterOptions
        {
            BootstrapServers = [broker.Address],
            Logger = logs.CreateLogger("test"),
            ReconnectBackoff = TimeSpan.FromMilliseconds(10),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(50),
        };
        options = options with { Connection = options.Connection with { Logger = options.Logger, RequestTimeout = TimeSpan.FromSeconds(20) } };
        await using var cluster = new KafkaCluster(options);
        int lostNode = -1;
        var lost = new TaskCompletionSource();
        cluster.ConnectionLost += node =>
        {
            lostNode = node;
            lost.TrySetResult();
        };

        await cluster.RefreshAsync(CancellationToken.None);
        KafkaConnection first = await cluster.GetConnectionAsync(1, CancellationToken.None);
        int connectionsBefore = broker.ConnectionCount;
        var heartbeat = new HeartbeatRequest { GroupId = "g", MemberId = "m" };

        // The caller gets the client's own error, naming the problem, not a hang nor a foreign exception.
        var error = await Assert.ThrowsAnyAsync<KafkaException>(async () =>
            await first.SendAsync<HeartbeatRequest, HeartbeatResponse>(heartbeat, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(error is ProtocolException || error.Error == ErrorCode.NetworkException, $"{kind}: {error.GetType().Name} {error.Error}: {error.Message}");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));

        // The connection is dropped and the loss reported (event and log).
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, lostNode);
        Assert.False(first.IsConnected);
        Assert.True(logs.Any(LogLevel.Debug, first.Name), $"{kind}: nothing logged about {first.Name}: {string.Join(" | ", logs.Lines)}");
        if (error is ProtocolException)
        {
            Assert.True(logs.Any(LogLevel.Warning, first.Name), $"{kind}: the protocol violation was not logged as a warning");
        }

        // Recovery: a fresh connection, and the same request succeeds on it.
        KafkaConnection second = await cluster.GetConnectionAsync(1, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotSame(first, second);
        HeartbeatResponse ok = await second.SendAsync<HeartbeatRequest, HeartbeatResponse>(heartbeat, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, ok.ErrorCode);
        Assert.True(broker.ConnectionCount > connectionsBefore);
    }

    [Theory]
    [MemberData(nameof(AllGarbage))]
    public Task TheIdempotentProducerDeliversEverythingOnceThroughGarbageResponses(Garbage kind) =>
        ProduceThroughGarbageAsync(kind, maxInFlight: 1);

    /// <summary>
    /// The same with five requests in flight. A garbage response fails its request on the caller's side while the
    /// connection still delivers the responses behind it, so later batches of the partition can settle first; they
    /// must stay counted in flight until the failed one is retried, or more than five later batches reach the
    /// broker (which, like Kafka, remembers the last five sequences), the retry is refused as out of order, and a
    /// new epoch writes the batch again: a duplicate.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllGarbage))]
    public Task TheIdempotentProducerDeliversEverythingOnceThroughGarbageResponsesWhilePipelining(Garbage kind) =>
        ProduceThroughGarbageAsync(kind, maxInFlight: 5);

    private static async Task ProduceThroughGarbageAsync(Garbage kind, int maxInFlight)
    {
        // The broker appends every batch, but answers some Produce requests with garbage: the producer cannot
        // know the outcome, must reconnect and retry, and the broker (enforcing sequences) answers the retry with
        // the original offset: nothing lost, nothing twice, order kept, every report true.
        const int Count = 2000;
        const int Partitions = 2;
        await using var kafka = new IdempotentFakeKafka("hostile", Partitions);
        Func<FakeRequest, FakeReply?> inner = kafka.Broker.Handler!;
        int produces = 0;
        kafka.Broker.Handler = r =>
        {
            FakeReply? reply = inner(r);
            return r.ApiKey == ApiKey.Produce && Interlocked.Increment(ref produces) % 6 == 2 ? Reply(kind, r, produces) : reply;
        };

        var config = new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            Linger = TimeSpan.FromMilliseconds(2),
            BatchNumMessages = 100,
            RetryBackoff = TimeSpan.FromMilliseconds(5),
            RetryBackoffMax = TimeSpan.FromMilliseconds(50),
            ReconnectBackoff = TimeSpan.FromMilliseconds(5),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(50),
            RequestTimeout = TimeSpan.FromSeconds(20),
            MaxInFlight = maxInFlight,
        };
        var delivered = new (int Partition, long Offset)?[Count];
        var failed = new List<string>();
        var logs = new CapturingLoggerFactory();
        await using (var producer = new Producer<byte[], byte[]>(config, loggerFactory: logs))
        {
            for (int i = 0; i < Count; i++)
            {
                byte[] value = new byte[8];
                BinaryPrimitives.WriteInt32BigEndian(value, i);
                int index = i;
                producer.Produce(new TopicPartition("hostile", i % Partitions), new Message<byte[], byte[]> { Value = value }, report =>
                {
                    if (report.IsError)
                    {
                        lock (failed)
                        {
                            failed.Add($"{index}: {report.Error}");
                        }
                    }
                    else
                    {
                        Assert.Null(delivered[index]);
                        delivered[index] = (report.Partition, report.Offset.Value);
                    }
                });
                if (i % 100 == 99)
                {
                    await Task.Delay(2);
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }

        try
        {
            Assert.Empty(failed);
            for (int p = 0; p < Partitions; p++)
            {
                List<int> log = kafka.Values(p);
                Assert.Equal(Enumerable.Range(0, Count).Where(i => i % Partitions == p), log);
                for (int offset = 0; offset < log.Count; offset++)
                {
                    Assert.Equal((p, (long)offset), delivered[log[offset]]);
                }
            }
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException { InnerException: not null })
        {
            // The producer's warnings (epoch bumps and why) are what explains a failure here.
            string warnings = string.Join(Environment.NewLine, logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Information).Select(l => l.Text).Take(20));
            throw new Xunit.Sdk.XunitException($"{kind}: {ex.Message}{Environment.NewLine}producer log:{Environment.NewLine}{warnings}", ex);
        }

        Assert.True(Volatile.Read(ref produces) > 6, "too few Produce requests for the garbage to matter");
        Assert.True(kafka.Broker.ConnectionCount > 1, "the producer never reconnected after garbage");
    }
}
