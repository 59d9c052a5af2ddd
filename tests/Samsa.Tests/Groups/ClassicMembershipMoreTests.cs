using Samsa.Groups;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Groups;

/// <summary>Static membership, cooperative rebalancing, the poll timer and regex subscriptions, against a scripted coordinator.</summary>
public sealed class ClassicMembershipMoreTests
{
    private static readonly TopicPartition[] Orders = [new("orders", 0), new("orders", 1), new("orders", 2)];

    [Fact]
    public async Task A_static_member_does_not_leave_and_a_restart_keeps_its_generation_and_assignment()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);

        // KIP-345 as a broker does it: a known group.instance.id rejoining with no member id gets a new member id
        // in the same generation, and (not being the leader) the assignment it had.
        var known = new Dictionary<string, int>();
        broker.Script = r =>
        {
            if (r.Message is JoinGroupRequest j && j.GroupInstanceId is { } instance && known.TryGetValue(instance, out int generation))
            {
                return new FakeReply.Message(new JoinGroupResponse
                {
                    GenerationId = generation, ProtocolName = j.Protocols[0].Name, Leader = "someone-else", MemberId = "member-2",
                });
            }

            return null;
        };
        await using var cluster = broker.NewCluster();
        GroupSettings settings = FakeGroupBroker.Settings(instanceId: "instance-a");
        var first = new ClassicMembership(cluster, settings, NullLoggerFor.Groups);
        first.Subscribe(["orders"]);
        GroupEvent assigned = await MembershipDriver.NextAsync(first, GroupEventKind.Assigned);
        int generation = first.GenerationId;
        known["instance-a"] = generation;
        JoinGroupRequest join = Assert.Single(broker.Requests<JoinGroupRequest>());
        Assert.Equal("instance-a", join.GroupInstanceId);
        Assert.Equal("", join.MemberId);

        await first.DisposeAsync();
        Assert.Equal(0, broker.Count(ApiKey.LeaveGroup));

        await using var restarted = new ClassicMembership(cluster, settings, NullLoggerFor.Groups);
        restarted.Subscribe(["orders"]);
        GroupEvent again = await MembershipDriver.NextAsync(restarted, GroupEventKind.Assigned);
        Assert.Equal(assigned.Partitions, again.Partitions);
        Assert.Equal(generation, restarted.GenerationId);
        Assert.Equal(generation, broker.Generation); // no new generation: no rebalance
        SyncGroupRequest sync = broker.Requests<SyncGroupRequest>().Last();
        Assert.Empty(sync.Assignments); // a follower assigns nothing
        Assert.Equal("instance-a", sync.GroupInstanceId);
        await MembershipDriver.WaitUntilAsync(() => broker.Requests<HeartbeatRequest>().Any(h => h.MemberId == "member-2"), "a heartbeat of the restarted member");
        Assert.All(broker.Requests<HeartbeatRequest>(), h => Assert.Equal("instance-a", h.GroupInstanceId));
    }

    [Fact]
    public async Task Cooperative_revokes_only_what_moves_then_rejoins_with_what_it_owns()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        int syncs = 0;
        byte[]? shrunk = null;
        broker.Script = r =>
        {
            // The second sync plays another member taking partition 2.
            if (r.Message is SyncGroupRequest s && Interlocked.Increment(ref syncs) == 2)
            {
                shrunk = ConsumerProtocol.EncodeAssignment([new("orders", 0), new("orders", 1)]);
                return new FakeReply.Message(new SyncGroupResponse { Assignment = shrunk });
            }

            return null;
        };
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(assignors: PartitionAssignmentStrategy.CooperativeSticky), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        GroupEvent first = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal(Orders, first.Partitions.Order(TopicPartitionOrder.Instance));

        broker.FailNextHeartbeats(ErrorCode.RebalanceInProgress);
        GroupEvent revoked = await MembershipDriver.NextAsync(membership, GroupEventKind.Revoked, acknowledge: false);
        Assert.Equal([new TopicPartition("orders", 2)], revoked.Partitions);
        Assert.Equal(2, broker.Count(ApiKey.JoinGroup)); // cooperative: no revocation before the rejoin

        // The second join carried what the member owned and the generation it owned it in.
        JoinGroupRequest second = broker.Requests<JoinGroupRequest>()[1];
        MemberSubscription sub = ConsumerProtocol.DecodeSubscription(second.Protocols[0].Metadata);
        Assert.Equal(Orders, sub.OwnedPartitions);
        Assert.Equal(1, sub.GenerationId);

        await Task.Delay(200);
        Assert.Equal(2, broker.Count(ApiKey.JoinGroup)); // the follow-up join waits for the acknowledgment
        membership.Acknowledge(revoked);
        await MembershipDriver.WaitUntilAsync(() => broker.Count(ApiKey.JoinGroup) == 3, "the follow-up join");
        JoinGroupRequest third = broker.Requests<JoinGroupRequest>()[2];
        MemberSubscription thirdSub = ConsumerProtocol.DecodeSubscription(third.Protocols[0].Metadata);
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 1)], thirdSub.OwnedPartitions);
        Assert.Equal(2, thirdSub.GenerationId);
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 1)], membership.Assignment.Order(TopicPartitionOrder.Instance));
    }

    [Fact]
    public async Task Missing_max_poll_interval_leaves_reports_the_partitions_lost_and_rejoins_on_the_next_poll()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        await using var cluster = broker.NewCluster();
        GroupSettings settings = FakeGroupBroker.Settings() with { SessionTimeout = TimeSpan.FromMilliseconds(300), MaxPollInterval = TimeSpan.FromMilliseconds(600) };
        await using var membership = new ClassicMembership(cluster, settings, NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);

        await MembershipDriver.WaitUntilAsync(() => broker.Count(ApiKey.LeaveGroup) == 1, "LeaveGroup after the missed poll");
        await MembershipDriver.WaitUntilAsync(() => membership.GenerationId == -1, "the generation to be dropped");
        Assert.Equal(1, broker.Count(ApiKey.JoinGroup));
        await Task.Delay(200);
        Assert.Equal(1, broker.Count(ApiKey.JoinGroup)); // no rejoin before the application polls

        GroupEvent lost = await MembershipDriver.NextAsync(membership, GroupEventKind.Lost);
        Assert.Equal(Orders, lost.Partitions.Order(TopicPartitionOrder.Instance));
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal(2, broker.Count(ApiKey.JoinGroup));
    }

    [Fact]
    public async Task A_regex_subscription_rejoins_when_the_matching_topics_change()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("audit-a", 1);
        broker.AddTopic("other", 1);
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        Assert.Throws<ArgumentException>(() => membership.Subscribe(["^audit-("]));
        await cluster.RefreshAsync(CancellationToken.None);
        membership.Subscribe(["^audit-.*"]);
        Assert.True(cluster.AllTopics);
        GroupEvent first = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal([new TopicPartition("audit-a", 0)], first.Partitions);

        broker.AddTopic("audit-b", 2);
        await cluster.RefreshAsync(CancellationToken.None);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Revoked);
        GroupEvent second = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal([new("audit-a", 0), new("audit-b", 0), new("audit-b", 1)], second.Partitions.Order(TopicPartitionOrder.Instance));
        JoinGroupRequest last = broker.Requests<JoinGroupRequest>().Last();
        Assert.Equal(["audit-a", "audit-b"], ConsumerProtocol.DecodeSubscription(last.Protocols[0].Metadata).Topics);
    }

    [Fact]
    public async Task Unsubscribe_revokes_then_leaves()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);

        membership.Unsubscribe();
        GroupEvent revoked = await MembershipDriver.NextAsync(membership, GroupEventKind.Revoked, acknowledge: false);
        await Task.Delay(150);
        Assert.Equal(0, broker.Count(ApiKey.LeaveGroup)); // not before the revocation is acknowledged
        membership.Acknowledge(revoked);
        await MembershipDriver.WaitUntilAsync(() => broker.Count(ApiKey.LeaveGroup) == 1, "LeaveGroup");
        await MembershipDriver.WaitUntilAsync(() => membership.MemberId.Length == 0, "the member id to be dropped");
        Assert.Empty(membership.Assignment);
    }

    [Fact]
    public async Task A_coordinator_that_drops_the_connection_is_rediscovered()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        int joins = 0;
        broker.Script = r => r.Message is JoinGroupRequest && Interlocked.Increment(ref joins) == 1 ? new FakeReply.Close() : null;
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.True(broker.Count(ApiKey.FindCoordinator) >= 2);
        Assert.Equal(2, broker.Count(ApiKey.JoinGroup));
    }

    [Fact]
    public async Task A_sync_group_that_fails_without_an_answer_leads_to_a_rejoin_not_to_an_empty_member()
    {
        await using var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        int syncs = 0;
        broker.Script = r => r.Message is SyncGroupRequest && Interlocked.Increment(ref syncs) == 1 ? new FakeReply.Close() : null;
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        GroupEvent assigned = await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal(Orders, assigned.Partitions.Order(TopicPartitionOrder.Instance));
        Assert.Equal(2, broker.Count(ApiKey.JoinGroup));
        Assert.Equal(2, membership.GenerationId);
    }

    [Fact]
    public async Task An_error_response_with_nulls_where_the_protocol_allows_none_still_yields_its_error_code()
    {
        // librdkafka's mock answers SyncGroup errors with a null assignment; the error code must still count.
        await using var broker = new FakeGroupBroker();
        broker.Broker.VersionOverrides[ApiKey.SyncGroup] = (0, 3);
        broker.AddTopic("orders", 3);
        int syncs = 0;
        broker.Script = r =>
        {
            if (r.Message is not SyncGroupRequest || Interlocked.Increment(ref syncs) != 1)
            {
                return null;
            }

            byte[] frame = new byte[4 + 4 + 2 + 4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, r.CorrelationId);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(8), (short)ErrorCode.RebalanceInProgress);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(10), -1); // null assignment
            return new FakeReply.Raw(frame);
        };
        await using var cluster = broker.NewCluster();
        await using var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        Assert.Equal(2, broker.Count(ApiKey.JoinGroup));
        Assert.Equal(1, broker.Count(ApiKey.FindCoordinator)); // REBALANCE_IN_PROGRESS: rejoin, the coordinator is fine
    }
}
