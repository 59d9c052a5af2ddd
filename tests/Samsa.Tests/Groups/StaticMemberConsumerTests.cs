using System.Diagnostics;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Groups;

/// <summary>
/// Static membership (group.instance.id, KIP-345) through the public consumer, against a scripted coordinator on
/// a real socket: the test cluster's mock does not implement KIP-345 for classic groups.
/// </summary>
public sealed class StaticMemberConsumerTests
{
    /// <summary>A consumer whose handlers log "assigned p,p" / "revoked p,p" / "lost p,p" in order.</summary>
    private static Consumer<string, string> Build(ConsumerConfig config, List<string> calls) =>
        new ConsumerBuilder<string, string>(config)
            .SetPartitionsAssignedHandler((_, ps) => calls.Add("assigned " + string.Join(",", ps.Select(p => p.Partition))))
            .SetPartitionsRevokedHandler((_, ps) => calls.Add("revoked " + string.Join(",", ps.Select(p => p.Partition))))
            .SetPartitionsLostHandler((_, ps) => calls.Add("lost " + string.Join(",", ps.Select(p => p.Partition))))
            .Build();

    private static void PollUntil(IConsumer<string, string> consumer, Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"Timed out waiting for {what}.");
            consumer.Consume(TimeSpan.FromMilliseconds(50));
        }
    }

    [Fact]
    public async Task A_restarted_static_consumer_rejoins_with_its_instance_id_and_gets_its_partitions_back_without_a_rebalance()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);

        // KIP-345 as a broker does it: a known group.instance.id that rejoins with no member id gets a new member id
        // in the same generation and, not being the leader, the assignment it had; the others see nothing.
        var known = new Dictionary<string, int>();
        broker.Script = r => r.Message switch
        {
            JoinGroupRequest j when j.GroupInstanceId is { } instance && known.TryGetValue(instance, out int generation) =>
                new FakeReply.Message(new JoinGroupResponse { GenerationId = generation, ProtocolName = j.Protocols[0].Name, Leader = "someone-else", MemberId = "member-2" }),
            FetchRequest => new FakeReply.Delay(TimeSpan.FromMilliseconds(100), new FakeReply.Message(new FetchResponse())), // nothing to read
            _ => null,
        };
        var config = new ConsumerConfig
        {
            BootstrapServers = $"127.0.0.1:{broker.Broker.Port}",
            GroupId = "g",
            GroupInstanceId = "instance-a",
            SessionTimeout = TimeSpan.FromSeconds(10),
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMax = TimeSpan.FromMilliseconds(100),
            RetryBackoff = TimeSpan.FromMilliseconds(20),
            RetryBackoffMax = TimeSpan.FromMilliseconds(100),
        };

        var firstCalls = new List<string>();
        using (Consumer<string, string> first = Build(config, firstCalls))
        {
            first.Subscribe("orders");
            PollUntil(first, () => firstCalls.Count > 0, "the first assignment");
            Assert.Equal(["assigned 0,1,2"], firstCalls);
            first.Commit([new TopicPartitionOffset("orders", 1, 7)]);
            known["instance-a"] = broker.Generation;
            first.Close();
        }

        // A static member's close leaves nothing: the coordinator keeps its place for the session timeout.
        Assert.Equal(0, broker.Count(ApiKey.LeaveGroup));
        int generation = broker.Generation;

        var calls = new List<string>();
        using Consumer<string, string> restarted = Build(config, calls);
        restarted.Subscribe("orders");
        PollUntil(restarted, () => calls.Count > 0, "the restarted consumer's assignment");
        Assert.Equal(["assigned 0,1,2"], calls);
        Assert.Equal([0, 1, 2], restarted.Assignment.Select(p => p.Partition).Order());
        Assert.Equal("member-2", restarted.MemberId);
        Assert.Equal(generation, broker.Generation); // no new generation: no rebalance

        List<JoinGroupRequest> joins = broker.Requests<JoinGroupRequest>();
        Assert.Equal(2, joins.Count);
        Assert.All(joins, j => Assert.Equal("instance-a", j.GroupInstanceId));
        Assert.Equal("", joins[1].MemberId);
        SyncGroupRequest sync = broker.Requests<SyncGroupRequest>().Last();
        Assert.Equal("instance-a", sync.GroupInstanceId);
        Assert.Empty(sync.Assignments); // a follower assigns nothing

        // It keeps consuming where the group committed, and keeps its partitions: no revocation while it runs.
        Assert.Equal(7, restarted.Committed([new TopicPartition("orders", 1)], TimeSpan.FromSeconds(10)).Single().Offset.Value);
        PollUntil(restarted, () => broker.Requests<HeartbeatRequest>().Any(h => h.MemberId == "member-2"), "a heartbeat of the restarted member");
        for (int i = 0; i < 10; i++)
        {
            restarted.Consume(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(["assigned 0,1,2"], calls);
        Assert.All(broker.Requests<HeartbeatRequest>(), h => Assert.Equal("instance-a", h.GroupInstanceId));
        Assert.Equal(0, broker.Count(ApiKey.LeaveGroup));
    }
}
