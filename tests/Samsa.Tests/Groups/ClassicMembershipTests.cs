using Samsa.Cluster;
using Samsa.Groups;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Groups;

/// <summary>The classic protocol's state machine against a scripted coordinator.</summary>
public sealed class ClassicMembershipTests
{
    private static readonly TopicPartition[] Orders = [new("orders", 0), new("orders", 1), new("orders", 2)];

    [Fact]
    public async Task Joins_through_the_member_id_required_round_leads_and_assigns_itself()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        int joins = 0;
        broker.Script = r => r.Message is JoinGroupRequest j && Interlocked.Increment(ref joins) == 1
            ? new FakeReply.Message(new JoinGroupResponse { ErrorCode = (short)ErrorCode.MemberIdRequired, MemberId = "assigned-id", Leader = "", GenerationId = -1 })
            : null;
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(assignors: [PartitionAssignmentStrategy.RoundRobin, PartitionAssignmentStrategy.Range]), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);

        GroupEvent assigned = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);

        Assert.Equal(Orders, assigned.Partitions.Order(TopicPartitionOrder.Instance));
        Assert.Equal(Orders, membership.Assignment.Order(TopicPartitionOrder.Instance));
        Assert.Equal("assigned-id", membership.MemberId);
        Assert.Equal(1, membership.GenerationId);
        List<JoinGroupRequest> requests = broker.Requests<JoinGroupRequest>();
        Assert.Equal(2, requests.Count);
        Assert.Equal("", requests[0].MemberId);
        Assert.Equal("assigned-id", requests[1].MemberId);
        Assert.Equal(["roundrobin", "range"], requests[1].Protocols.Select(p => p.Name));
        Assert.Equal(2000, requests[1].SessionTimeoutMs);
        Assert.Equal(30000, requests[1].RebalanceTimeoutMs);
        Assert.Equal("consumer", requests[1].ProtocolType);
        MemberSubscription sub = ConsumerProtocol.DecodeSubscription(requests[1].Protocols[0].Metadata);
        Assert.Equal(["orders"], sub.Topics);
        Assert.Equal(3, sub.Version);
        // The newest versions (the fake broker offers all): JoinGroup v9 says why, SyncGroup v5 names the protocol.
        Assert.Equal(9, broker.Broker.Received.Last(r => r.ApiKey == ApiKey.JoinGroup).Version);
        Assert.Equal("joining the group", requests[1].Reason);
        Assert.Equal(5, broker.Broker.Received.Single(r => r.ApiKey == ApiKey.SyncGroup).Version);
        SyncGroupRequest sync = Assert.Single(broker.Requests<SyncGroupRequest>());
        Assert.Equal(("consumer", "roundrobin"), (sync.ProtocolType, sync.ProtocolName));
        Assert.Equal("assigned-id", Assert.Single(sync.Assignments).MemberId);
        Assert.Equal(Orders, ConsumerProtocol.DecodeAssignment(sync.Assignments[0].Assignment).Partitions);
        await MembershipDriver.WaitUntilAsync(() => broker.Count(ApiKey.Heartbeat) >= 3, "heartbeats");
        Assert.All(broker.Requests<HeartbeatRequest>(), h => Assert.Equal((1, "assigned-id"), (h.GenerationId, h.MemberId)));
    }

    [Fact]
    public async Task Rebalance_in_progress_on_heartbeat_revokes_everything_then_rejoins_after_the_acknowledgment()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);

        broker.FailNextHeartbeats(ErrorCode.RebalanceInProgress);
        GroupEvent revoked = await MembershipDriver.NextAsync(membership, GroupEventKind.Revoked, acknowledge: false);
        Assert.Equal(Orders, revoked.Partitions.Order(TopicPartitionOrder.Instance));

        // Not acknowledged: no rejoin yet, but the session stays alive.
        int heartbeats = broker.Count(ApiKey.Heartbeat);
        await Task.Delay(300);
        Assert.Equal(1, broker.Count(ApiKey.JoinGroup));
        Assert.True(broker.Count(ApiKey.Heartbeat) > heartbeats, "heartbeats continue while the revocation is pending");
        Assert.Equal(Orders, membership.Assignment.Order(TopicPartitionOrder.Instance)); // still the consumer's until acknowledged

        membership.Acknowledge(revoked);
        Assert.Empty(membership.Assignment);
        GroupEvent assigned = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal(Orders, assigned.Partitions.Order(TopicPartitionOrder.Instance));
        List<JoinGroupRequest> joins = broker.Requests<JoinGroupRequest>();
        Assert.Equal(2, joins.Count);
        Assert.Equal("member-1", joins[1].MemberId); // the member id is kept
        Assert.Equal(2, membership.GenerationId);
    }

    [Theory]
    [InlineData(ErrorCode.IllegalGeneration, "member-1")]
    [InlineData(ErrorCode.UnknownMemberId, "")]
    public async Task A_lost_generation_reports_the_partitions_lost_and_rejoins(ErrorCode error, string rejoinMemberId)
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);

        broker.FailNextHeartbeats(error);
        GroupEvent lost = await MembershipDriver.NextAsync(membership, GroupEventKind.Lost);
        Assert.Equal(Orders, lost.Partitions.Order(TopicPartitionOrder.Instance));
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal(rejoinMemberId, broker.Requests<JoinGroupRequest>()[1].MemberId);
        Assert.DoesNotContain(broker.Broker.Received, r => r.ApiKey == ApiKey.LeaveGroup);
    }

    [Fact]
    public async Task Not_coordinator_on_heartbeat_rediscovers_the_coordinator_and_keeps_the_membership()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        int finds = broker.Count(ApiKey.FindCoordinator);

        broker.FailNextHeartbeats(ErrorCode.NotCoordinator, ErrorCode.CoordinatorNotAvailable);
        await MembershipDriver.WaitUntilAsync(() => broker.Count(ApiKey.FindCoordinator) >= finds + 2, "FindCoordinator twice more");
        int heartbeats = broker.Count(ApiKey.Heartbeat);
        await MembershipDriver.WaitUntilAsync(() => broker.Count(ApiKey.Heartbeat) >= heartbeats + 3, "heartbeats after rediscovery");
        Assert.Equal(1, broker.Count(ApiKey.JoinGroup));
        Assert.False(membership.TryTakeEvent(out _));
        Assert.Equal(1, membership.GenerationId);
    }

    [Fact]
    public async Task Fenced_instance_id_is_a_fatal_error_event_and_the_member_stops()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(instanceId: "instance-a"), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);

        broker.FailNextHeartbeats(ErrorCode.FencedInstanceId);
        GroupEvent error = await MembershipDriver.NextAsync(membership, GroupEventKind.Error);
        Assert.Equal(ErrorCode.FencedInstanceId, error.Error!.Error);
        Assert.Contains("instance-a", error.Error.Message, StringComparison.Ordinal);
        GroupEvent lost = await MembershipDriver.NextAsync(membership, GroupEventKind.Lost);
        Assert.Equal(Orders, lost.Partitions.Order(TopicPartitionOrder.Instance));
        int requests = broker.Broker.Received.Count;
        await Task.Delay(300);
        Assert.Equal(requests, broker.Broker.Received.Count); // no heartbeats, no rejoin
        Assert.Equal(-1, membership.GenerationId);
    }

    [Theory]
    [InlineData((short)5)]
    [InlineData((short)2)]
    public async Task Leave_sends_leave_group_and_stops_every_background_task(short leaveGroupMaxVersion)
    {
        await using var broker = new FakeGroupBroker();
        broker.Broker.VersionOverrides[ApiKey.LeaveGroup] = (0, leaveGroupMaxVersion);
        broker.AddTopic("orders", 3);
        await using var cluster = broker.NewCluster();
        var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        Assert.Equal(0, membership.RunningBackgroundTasks);
        membership.Subscribe(["orders"]);
        Assert.Equal(1, membership.RunningBackgroundTasks);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);

        await membership.LeaveAsync(CancellationToken.None);

        Assert.Equal(0, membership.RunningBackgroundTasks);
        FakeRequest leave = Assert.Single(broker.Broker.Received, r => r.ApiKey == ApiKey.LeaveGroup);
        var request = (LeaveGroupRequest)leave.Message;
        if (leaveGroupMaxVersion >= 3)
        {
            Assert.Equal("member-1", Assert.Single(request.Members).MemberId);
        }
        else
        {
            Assert.Equal("member-1", request.MemberId);
        }

        // Nothing more from the membership. The cluster it ran on may still refresh metadata (its own loop, not the
        // membership's): a CI run under load once saw one more request here.
        List<ApiKey> before = MembershipRequests(broker);
        await Task.Delay(300);
        List<ApiKey> after = MembershipRequests(broker);
        Assert.True(before.Count == after.Count, $"requests after leaving: {string.Join(", ", after.Skip(before.Count))}");
        await membership.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => membership.Subscribe(["orders"]));
    }

    [Fact]
    public async Task The_loop_stops_when_the_cluster_closes_first_and_disposing_afterwards_does_not_throw()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        KafkaCluster cluster = broker.NewCluster();
        var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);

        await cluster.DisposeAsync();
        await MembershipDriver.WaitUntilAsync(() => membership.RunningBackgroundTasks == 0, "the loop to stop");
        await membership.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_during_a_join_that_never_answers_returns_promptly()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        broker.Script = r => r.Message is JoinGroupRequest ? new FakeReply.Silence() : null;
        await using var cluster = broker.NewCluster();
        var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.WaitUntilAsync(() => broker.Count(ApiKey.JoinGroup) == 1, "the JoinGroup");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await membership.DisposeAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {watch.Elapsed}");
        Assert.Equal(0, membership.RunningBackgroundTasks);
    }

    /// <summary>What the membership sent, in order (metadata and version negotiation are the cluster's own).</summary>
    private static List<ApiKey> MembershipRequests(FakeGroupBroker broker) =>
        [.. broker.Broker.Received.Where(r => r.ApiKey is not (ApiKey.Metadata or ApiKey.ApiVersions)).Select(r => r.ApiKey)];
}

public sealed class ClassicLeaderTests
{
    [Fact]
    public async Task The_leader_assigns_over_every_members_subscription_whatever_its_version()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 4);
        broker.AddTopic("payments", 2);
        byte[] v0 = ConsumerProtocol.EncodeSubscription(new MemberSubscription(["orders"], null, [], -1, null, 0), 0);
        byte[] v3 = ConsumerProtocol.EncodeSubscription(new MemberSubscription(["orders", "payments"], [], [], -1, "", 3));
        broker.Script = r => r.Message is JoinGroupRequest j
            ? new FakeReply.Message(new JoinGroupResponse
            {
                GenerationId = 7,
                ProtocolName = "range",
                Leader = "m-b",
                MemberId = "m-b",
                Members =
                [
                    new() { MemberId = "m-c", Metadata = v3 },
                    new() { MemberId = "m-b", Metadata = j.Protocols[0].Metadata },
                    new() { MemberId = "m-a", Metadata = v0 },
                ],
            })
            : null;
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.WaitUntilAsync(() => broker.Count(ApiKey.SyncGroup) == 1, "the leader's SyncGroup");

        SyncGroupRequest sync = broker.Requests<SyncGroupRequest>()[0];
        var assigned = sync.Assignments.ToDictionary(a => a.MemberId, a => string.Join(" ", ConsumerProtocol.DecodeAssignment(a.Assignment).Partitions.Select(p => $"{p.Topic}-{p.Partition}")));
        Assert.Equal(3, assigned.Count);
        Assert.Equal("orders-0 orders-1", assigned["m-a"]);
        Assert.Equal("orders-2", assigned["m-b"]);
        Assert.Equal("orders-3 payments-0 payments-1", assigned["m-c"]);
        Assert.True(membership.IsLeader);
    }
}

internal static class NullLoggerFor
{
    public static readonly Microsoft.Extensions.Logging.ILogger Groups = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}

internal sealed class TopicPartitionOrder : IComparer<TopicPartition>
{
    public static readonly TopicPartitionOrder Instance = new();

    public int Compare(TopicPartition x, TopicPartition y)
    {
        int c = string.CompareOrdinal(x.Topic, y.Topic);
        return c != 0 ? c : x.Partition.CompareTo(y.Partition);
    }
}
