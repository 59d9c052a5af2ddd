using System.Collections.Concurrent;
using Samsa.Cluster;
using Samsa.Groups;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Groups;

/// <summary>The KIP-848 protocol's state machine against a scripted coordinator.</summary>
public sealed class ConsumerGroupMembershipTests
{
    /// <summary>A scripted KIP-848 coordinator: epochs, a target assignment the test sets, injected errors.</summary>
    private sealed class Kip848Coordinator
    {
        private readonly ConcurrentQueue<ErrorCode> _errors = new();
        private List<(Guid TopicId, int[] Partitions)>? _pending;

        public int Epoch { get; set; }

        public int IntervalMs { get; set; } = 50;

        public ConcurrentQueue<ConsumerGroupHeartbeatRequest> Heartbeats { get; } = new();

        public void Assign(params (Guid TopicId, int[] Partitions)[] target)
        {
            Epoch++;
            Volatile.Write(ref _pending, [.. target]);
        }

        public void Fail(ErrorCode error) => _errors.Enqueue(error);

        public FakeReply? Handle(FakeRequest request)
        {
            if (request.Message is not ConsumerGroupHeartbeatRequest hb)
            {
                return null;
            }

            Heartbeats.Enqueue(hb);
            if (_errors.TryDequeue(out ErrorCode error))
            {
                return new FakeReply.Message(new ConsumerGroupHeartbeatResponse { ErrorCode = (short)error, MemberEpoch = -1 });
            }

            if (hb.MemberEpoch < 0)
            {
                return new FakeReply.Message(new ConsumerGroupHeartbeatResponse { MemberEpoch = hb.MemberEpoch });
            }

            if (hb.MemberEpoch == 0)
            {
                Epoch = Math.Max(Epoch, 1);
            }

            var response = new ConsumerGroupHeartbeatResponse { MemberId = hb.MemberId, MemberEpoch = Epoch, HeartbeatIntervalMs = IntervalMs };
            if (Interlocked.Exchange(ref _pending, null) is { } target)
            {
                response.Assignment = new ConsumerGroupHeartbeatResponse.AssignmentData
                {
                    TopicPartitions = target.Select(t => new ConsumerGroupHeartbeatResponse.TopicPartitions { TopicId = t.TopicId, Partitions = [.. t.Partitions] }).ToList(),
                };
            }

            return new FakeReply.Message(response);
        }
    }

    private static GroupSettings Settings(string? instanceId = null) =>
        FakeGroupBroker.Settings(instanceId: instanceId) with { RemoteAssignor = "uniform", RackId = "rack-1" };

    [Fact]
    public async Task Joins_with_epoch_zero_and_a_generated_member_id_then_takes_an_assignment_by_topic_id()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 4);
        var coordinator = new Kip848Coordinator();
        broker.Script = coordinator.Handle;
        coordinator.Assign((broker.TopicId("orders"), [0, 2]));
        await using KafkaCluster cluster = broker.NewCluster();
        await using var membership = new ConsumerGroupMembership(cluster, Settings(), NullLoggerFor.Groups);
        string memberId = membership.MemberId;
        Assert.Equal(22, memberId.Length);
        Assert.Equal(-1, membership.GenerationId);
        membership.Subscribe(["orders"]);

        GroupEvent assigned = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 2)], assigned.Partitions);
        ConsumerGroupHeartbeatRequest join = coordinator.Heartbeats.First();
        Assert.Equal((0, memberId), (join.MemberEpoch, join.MemberId));
        Assert.Equal(["orders"], join.SubscribedTopicNames);
        Assert.Equal("", join.SubscribedTopicRegex);
        Assert.Equal("uniform", join.ServerAssignor);
        Assert.Equal("rack-1", join.RackId);
        Assert.Equal(30000, join.RebalanceTimeoutMs);
        Assert.Empty(join.TopicPartitions!);

        // Acknowledged: the next heartbeat reports what the member owns, by topic id, at the new epoch.
        await MembershipDriver.WaitUntilAsync(() => coordinator.Heartbeats.Any(h => h.TopicPartitions is { Count: 1 }), "the acknowledging heartbeat");
        ConsumerGroupHeartbeatRequest ack = coordinator.Heartbeats.First(h => h.TopicPartitions is { Count: 1 });
        Assert.Equal(1, ack.MemberEpoch);
        Assert.Equal(broker.TopicId("orders"), ack.TopicPartitions![0].TopicId);
        Assert.Equal([0, 2], ack.TopicPartitions[0].Partitions);
        Assert.Null(ack.SubscribedTopicNames); // unchanged fields are left out
        Assert.Equal(1, membership.GenerationId);
        Assert.Equal(memberId, membership.MemberId);
    }

    [Fact]
    public async Task Revocation_is_acknowledged_by_the_consumer_before_the_new_assignment_is_reported()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 4);
        var coordinator = new Kip848Coordinator();
        broker.Script = coordinator.Handle;
        Guid orders = broker.TopicId("orders");
        coordinator.Assign((orders, [0, 1, 2]));
        await using KafkaCluster cluster = broker.NewCluster();
        await using var membership = new ConsumerGroupMembership(cluster, Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        await MembershipDriver.WaitUntilAsync(() => coordinator.Heartbeats.Any(h => h.TopicPartitions is { Count: 1 } tp && tp[0].Partitions.Count == 3), "ack of 3");

        coordinator.Assign((orders, [1, 3]));
        GroupEvent revoked = await MembershipDriver.NextAsync(membership, GroupEventKind.Revoked, acknowledge: false);
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 2)], revoked.Partitions);
        int seen = coordinator.Heartbeats.Count;
        await Task.Delay(250);
        ConsumerGroupHeartbeatRequest[] meanwhile = coordinator.Heartbeats.Skip(seen).ToArray();
        Assert.NotEmpty(meanwhile); // the session stays alive
        Assert.All(meanwhile, h => Assert.Null(h.TopicPartitions)); // nothing reported before the acknowledgment

        membership.Acknowledge(revoked);
        GroupEvent assigned = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal([new TopicPartition("orders", 3)], assigned.Partitions);
        await MembershipDriver.WaitUntilAsync(
            () => coordinator.Heartbeats.Any(h => h.TopicPartitions is { Count: 1 } tp && tp[0].Partitions.SequenceEqual([1, 3])), "ack of [1, 3]");
        Assert.Equal([new TopicPartition("orders", 1), new TopicPartition("orders", 3)], membership.Assignment.Order(TopicPartitionOrder.Instance));
    }

    [Theory]
    [InlineData(ErrorCode.FencedMemberEpoch)]
    [InlineData(ErrorCode.UnknownMemberId)]
    public async Task Fencing_reports_the_partitions_lost_and_rejoins_with_epoch_zero_and_the_same_id(ErrorCode error)
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 2);
        var coordinator = new Kip848Coordinator();
        broker.Script = coordinator.Handle;
        coordinator.Assign((broker.TopicId("orders"), [0, 1]));
        await using KafkaCluster cluster = broker.NewCluster();
        await using var membership = new ConsumerGroupMembership(cluster, Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        string memberId = membership.MemberId;

        coordinator.Fail(error);
        coordinator.Assign((broker.TopicId("orders"), [1])); // for the rejoin, which waits for the Lost acknowledgment
        GroupEvent lost = await MembershipDriver.NextAsync(membership, GroupEventKind.Lost);
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 1)], lost.Partitions);
        GroupEvent again = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal([new TopicPartition("orders", 1)], again.Partitions);
        ConsumerGroupHeartbeatRequest[] joins = coordinator.Heartbeats.Where(h => h.MemberEpoch == 0).ToArray();
        Assert.Equal(2, joins.Length);
        Assert.All(joins, j => Assert.Equal(memberId, j.MemberId));
        Assert.Equal(["orders"], joins[1].SubscribedTopicNames);
    }

    [Theory]
    [InlineData(null, -1)]
    [InlineData("instance-1", -2)]
    public async Task Leave_sends_the_leave_epoch_and_stops(string? instanceId, int epoch)
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 2);
        var coordinator = new Kip848Coordinator();
        broker.Script = coordinator.Handle;
        coordinator.Assign((broker.TopicId("orders"), [0, 1]));
        await using KafkaCluster cluster = broker.NewCluster();
        var membership = new ConsumerGroupMembership(cluster, Settings(instanceId), NullLoggerFor.Groups);
        membership.Subscribe(["^ord.*", "payments"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        ConsumerGroupHeartbeatRequest join = coordinator.Heartbeats.First();
        Assert.Equal("(^ord.*)", join.SubscribedTopicRegex);
        Assert.Equal(["payments"], join.SubscribedTopicNames);
        Assert.Equal(instanceId, join.InstanceId);

        await membership.LeaveAsync(CancellationToken.None);
        Assert.Equal(0, membership.RunningBackgroundTasks);
        ConsumerGroupHeartbeatRequest leave = coordinator.Heartbeats.Last();
        Assert.Equal(epoch, leave.MemberEpoch);
        Assert.Equal(membership.MemberId, leave.MemberId);
        Assert.Null(leave.SubscribedTopicNames);
        Assert.Null(leave.SubscribedTopicRegex);
        int count = coordinator.Heartbeats.Count;
        await Task.Delay(250);
        Assert.Equal(count, coordinator.Heartbeats.Count);
        await membership.DisposeAsync();
    }

    [Fact]
    public async Task The_heartbeat_interval_comes_from_the_response()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 1);
        var coordinator = new Kip848Coordinator { IntervalMs = 400 };
        broker.Script = coordinator.Handle;
        await using KafkaCluster cluster = broker.NewCluster();
        await using var membership = new ConsumerGroupMembership(cluster, Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned); // the first (empty) assignment
        int before = coordinator.Heartbeats.Count;
        await Task.Delay(2000);
        int during = coordinator.Heartbeats.Count - before;
        Assert.InRange(during, 2, 7); // every 400 ms (5 in 2 s), not the configured 50 ms (40)
    }

    [Fact]
    public async Task A_new_target_is_reconciled_at_once_not_at_the_next_heartbeat()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 2);
        var coordinator = new Kip848Coordinator { IntervalMs = 1500 };
        broker.Script = coordinator.Handle;
        coordinator.Assign((broker.TopicId("orders"), [0, 1]));
        await using KafkaCluster cluster = broker.NewCluster();
        await using var membership = new ConsumerGroupMembership(cluster, Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        await MembershipDriver.WaitUntilAsync(() => coordinator.Heartbeats.Any(h => h.TopicPartitions is { Count: 1 }), "the acknowledging heartbeat");

        coordinator.Assign((broker.TopicId("orders"), [1]));
        int before = coordinator.Heartbeats.Count;
        await MembershipDriver.WaitUntilAsync(() => coordinator.Heartbeats.Count > before, "the heartbeat that carries the target", TimeSpan.FromSeconds(5));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        GroupEvent revoked = await MembershipDriver.NextAsync(membership, GroupEventKind.Revoked);
        Assert.Equal([new TopicPartition("orders", 0)], revoked.Partitions);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(700), $"the revocation came {watch.Elapsed} after the target");

        // The acknowledgment goes out at once too.
        await MembershipDriver.WaitUntilAsync(() => coordinator.Heartbeats.Any(h => h.TopicPartitions is { Count: 1 } tp && tp[0].Partitions.SequenceEqual([1])), "the acknowledging heartbeat", TimeSpan.FromMilliseconds(700));
    }

    [Fact]
    public async Task A_coordinator_without_kip848_is_a_clear_error_not_a_retry_loop()
    {
        await using var broker = new FakeGroupBroker();
        broker.Broker.VersionOverrides[ApiKey.ConsumerGroupHeartbeat] = (5, 5); // nothing in common with the client
        broker.AddTopic("orders", 1);
        await using KafkaCluster cluster = broker.NewCluster();
        await using var membership = new ConsumerGroupMembership(cluster, Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        GroupEvent error = await MembershipDriver.NextAsync(membership, GroupEventKind.Error);
        Assert.Equal(ErrorCode.UnsupportedVersion, error.Error!.Error);
        Assert.Contains("group.protocol=classic", error.Error.Message, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.False(membership.TryTakeEvent(out _));
        Assert.Equal(0, broker.Count(ApiKey.ConsumerGroupHeartbeat));
    }
}
