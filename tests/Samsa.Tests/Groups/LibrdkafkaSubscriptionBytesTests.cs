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
    private static async Task<List<JoinGroupRequest>> CaptureJoinsAsync(FakeGroupBroker broker, CK.ConsumerConfig config, string[] topics, int joins, Action? afterFirstAssignment = null)
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
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (broker.Requests<JoinGroupRequest>().Count < joins && DateTime.UtcNow < deadline)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(50));
        }

        List<JoinGroupRequest> captured = broker.Requests<JoinGroupRequest>();
        broker.Script = r => r.Message is JoinGroupRequest or SyncGroupRequest or HeartbeatRequest or LeaveGroupRequest or OffsetCommitRequest ? new FakeReply.Close() : null;
        await Task.Run(consumer.Close).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(captured.Count >= joins, $"librdkafka sent {captured.Count} JoinGroup request(s), {joins} expected");
        return captured;
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

        JoinGroupRequest join = (await CaptureJoinsAsync(broker, config, ["zeta", "alpha"], 1))[0];

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
        bool assignedOnce = false;
        var config = new CK.ConsumerConfig { PartitionAssignmentStrategy = CK.PartitionAssignmentStrategy.CooperativeSticky };

        // librdkafka leads a group of one, then a heartbeat says the group rebalances: it rejoins owning its partitions.
        List<JoinGroupRequest> joins = await CaptureJoinsAsync(broker, config, ["orders"], 2, () =>
        {
            if (!assignedOnce)
            {
                assignedOnce = true;
                broker.FailNextHeartbeats(ErrorCode.RebalanceInProgress);
            }
        });

        JoinGroupRequest first = joins[0];
        Assert.Equal("cooperative-sticky", Assert.Single(first.Protocols).Name);
        // No client.rack: librdkafka writes an empty rack (not null), and so does Samsa's join.
        byte[] firstOurs = ConsumerProtocol.EncodeSubscription(new MemberSubscription(["orders"], new CooperativeStickyAssignor().SubscriptionUserData([], -1), [], -1, "", 3));
        Assert.Equal(Convert.ToHexString(first.Protocols[0].Metadata), Convert.ToHexString(firstOurs));

        JoinGroupRequest second = joins[1];
        MemberSubscription read = ConsumerProtocol.DecodeSubscription(second.Protocols[0].Metadata);
        TopicPartition[] owned = [new("orders", 0), new("orders", 1), new("orders", 2)];
        Assert.Equal(owned, read.OwnedPartitions);
        Assert.Equal(1, read.GenerationId);
        Assert.Equal(1, CooperativeStickyAssignor.GenerationFromUserData(read.UserData));
        byte[] secondOurs = ConsumerProtocol.EncodeSubscription(new MemberSubscription(["orders"], new CooperativeStickyAssignor().SubscriptionUserData(owned, 1), owned, 1, "", 3));
        Assert.Equal(Convert.ToHexString(second.Protocols[0].Metadata), Convert.ToHexString(secondOurs));

        // And what librdkafka's leader wrote as the assignment, Samsa reads.
        SyncGroupRequest sync = broker.Requests<SyncGroupRequest>()[0];
        MemberAssignment assignment = ConsumerProtocol.DecodeAssignment(Assert.Single(sync.Assignments).Assignment);
        Assert.Equal(owned, assignment.Partitions);
        Assert.Equal(Convert.ToHexString(sync.Assignments[0].Assignment), Convert.ToHexString(ConsumerProtocol.EncodeAssignment(owned, assignment.UserData)));
    }
}
