using Samsa.Groups;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;
using CK = Confluent.Kafka;

namespace Samsa.Tests.Groups;

/// <summary>
/// The subscription bytes librdkafka (through Confluent.Kafka) really sends in JoinGroup, captured by a fake
/// broker: Samsa must read them exactly and write the very same bytes for the same inputs.
/// </summary>
public sealed class LibrdkafkaSubscriptionBytesTests
{
    private static async Task<List<JoinGroupRequest>> CaptureJoinsAsync(
        FakeGroupBroker broker, CK.ConsumerConfig config, string[] topics, Func<List<JoinGroupRequest>, bool> enough, Action? afterFirstAssignment = null)
    {
        Librdkafka.LoadForConfluentKafka();
        config.BootstrapServers = $"127.0.0.1:{broker.Broker.Port}";
        config.GroupId ??= "capture-group";
        config.SessionTimeoutMs = 6000;
        config.HeartbeatIntervalMs = 100;
        config.EnableAutoCommit = false;
        using var consumer = new CK.ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, _) => afterFirstAssignment?.Invoke())
            .Build();
        consumer.Subscribe(topics);

        // Consume blocks: poll on a thread of its own, not on the thread pool the other tests' timers need.
        await OnThread(() =>
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(20);
            while (!enough(broker.Requests<JoinGroupRequest>()) && DateTime.UtcNow < deadline)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
        });

        List<JoinGroupRequest> captured = broker.Requests<JoinGroupRequest>();
        broker.Script = r => r.Message is JoinGroupRequest or SyncGroupRequest or HeartbeatRequest or LeaveGroupRequest or OffsetCommitRequest ? new FakeReply.Close() : null;
        await OnThread(consumer.Close).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(enough(captured), $"librdkafka's {captured.Count} JoinGroup request(s) are not the ones the test waits for; it sent: "
            + string.Join(" ", broker.Broker.Received.Select(r => $"{r.ApiKey}v{r.Version}")));
        return captured;
    }

    private static Task OnThread(Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                action();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }) { IsBackground = true };
        thread.Start();
        return done.Task;
    }

    [Fact]
    public async Task Eager_subscription_bytes_match_librdkafka_exactly()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("zeta", 2);
        broker.AddTopic("alpha", 3);
        broker.Script = r => r.Message is JoinGroupRequest ? new FakeReply.Silence() : null;
        var config = new CK.ConsumerConfig { ClientRack = "rack-a" };
        config.Set("partition.assignment.strategy", "range,roundrobin");

        JoinGroupRequest join = (await CaptureJoinsAsync(broker, config, ["zeta", "alpha"], j => j.Count >= 1))[0];

        Assert.Equal(["range", "roundrobin"], join.Protocols.Select(p => p.Name));
        foreach (JoinGroupRequest.JoinGroupRequestProtocol protocol in join.Protocols)
        {
            MemberSubscription read = ConsumerProtocol.DecodeSubscription(protocol.Metadata);
            Assert.Equal((short)3, read.Version);
            Assert.Equal(["alpha", "zeta"], read.Topics);
            Assert.Empty(read.UserData!);
            Assert.Empty(read.OwnedPartitions);
            Assert.Equal(-1, read.GenerationId);
            Assert.Equal("rack-a", read.RackId);

            // The same inputs as Samsa's join builds them (assignor user data, nothing owned, generation -1).
            IPartitionAssignor assignor = protocol.Name == "range" ? RangeAssignor.Instance : RoundRobinAssignor.Instance;
            byte[] ours = ConsumerProtocol.EncodeSubscription(new MemberSubscription(["alpha", "zeta"], assignor.SubscriptionUserData([], -1), [], -1, "rack-a", 3));
            Assert.Equal(Convert.ToHexString(protocol.Metadata), Convert.ToHexString(ours));
        }
    }

    [Fact]
    public async Task Cooperative_sticky_bytes_match_librdkafka_before_and_after_an_assignment()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        int rebalancing = 0;
        int joinsSeen = 0;

        // librdkafka leads a group of one; once it has its assignment, heartbeats say the group rebalances until it
        // rejoins, owning its partitions.
        broker.Script = r =>
        {
            if (r.Message is JoinGroupRequest && Interlocked.Increment(ref joinsSeen) > 1)
            {
                Volatile.Write(ref rebalancing, 0);
            }

            return r.Message is HeartbeatRequest && Volatile.Read(ref rebalancing) == 1
                ? new FakeReply.Message(new HeartbeatResponse { ErrorCode = (short)ErrorCode.RebalanceInProgress })
                : null;
        };
        var config = new CK.ConsumerConfig { PartitionAssignmentStrategy = CK.PartitionAssignmentStrategy.CooperativeSticky };
        static bool OwnsSomething(JoinGroupRequest j) => ConsumerProtocol.DecodeSubscription(j.Protocols[0].Metadata).OwnedPartitions.Count > 0;
        List<JoinGroupRequest> joins = await CaptureJoinsAsync(broker, config, ["orders"], j => j.Any(OwnsSomething), () => Interlocked.CompareExchange(ref rebalancing, 1, 0));

        JoinGroupRequest first = joins[0];
        Assert.Equal("cooperative-sticky", Assert.Single(first.Protocols).Name);
        // No client.rack: librdkafka writes an empty rack (not null), and so does Samsa's join.
        byte[] firstOurs = ConsumerProtocol.EncodeSubscription(new MemberSubscription(["orders"], new CooperativeStickyAssignor().SubscriptionUserData([], -1), [], -1, "", 3));
        Assert.Equal(Convert.ToHexString(first.Protocols[0].Metadata), Convert.ToHexString(firstOurs));

        JoinGroupRequest second = joins.First(OwnsSomething); // the rejoin after the assignment
        MemberSubscription read = ConsumerProtocol.DecodeSubscription(second.Protocols[0].Metadata);
        TopicPartition[] owned = [new("orders", 0), new("orders", 1), new("orders", 2)];
        Assert.Equal(owned, read.OwnedPartitions);
        int generation = read.GenerationId;
        Assert.True(generation >= 1, $"generation {generation}");
        Assert.Equal(generation, CooperativeStickyAssignor.GenerationFromUserData(read.UserData));
        byte[] secondOurs = ConsumerProtocol.EncodeSubscription(new MemberSubscription(["orders"], new CooperativeStickyAssignor().SubscriptionUserData(owned, generation), owned, generation, "", 3));
        Assert.Equal(Convert.ToHexString(second.Protocols[0].Metadata), Convert.ToHexString(secondOurs));

        // And what librdkafka's leader wrote as the assignment, Samsa reads.
        SyncGroupRequest sync = broker.Requests<SyncGroupRequest>()[0];
        MemberAssignment assignment = ConsumerProtocol.DecodeAssignment(Assert.Single(sync.Assignments).Assignment);
        Assert.Equal(owned, assignment.Partitions);
        Assert.Equal(Convert.ToHexString(sync.Assignments[0].Assignment), Convert.ToHexString(ConsumerProtocol.EncodeAssignment(owned, assignment.UserData)));
    }
}
