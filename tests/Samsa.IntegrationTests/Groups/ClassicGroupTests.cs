using Samsa.Groups;
using Samsa.IntegrationTests.Cluster;
using Samsa.Protocol;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Groups;

/// <summary>Classic consumer groups of Samsa memberships against the test cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClassicGroupTests(ClusterFixture fixture)
{
    private async Task<(string Topic, string Group)> PrepareAsync(int partitions, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        string topic = UniqueNames.Topic(test);
        await fixture.CreateTopicAsync(topic, partitions);
        if (fixture.SupportsFaultInjection)
        {
            await fixture.Cluster.SetRebalanceDelayAsync(0);
        }

        return (topic, UniqueNames.Group(test));
    }

    [SkippableFact]
    public async Task Three_members_split_the_partitions_then_the_others_take_over_when_one_leaves()
    {
        var (topic, group) = await PrepareAsync(9);
        var ledger = new OwnershipLedger();
        TopicPartition[] all = GroupAssert.Partitions(topic, 9);
        await using var a = new GroupTestMember("a", GroupTestMember.Config(fixture.BootstrapServers, group), ledger);
        await using var b = new GroupTestMember("b", GroupTestMember.Config(fixture.BootstrapServers, group), ledger);
        await using var c = new GroupTestMember("c", GroupTestMember.Config(fixture.BootstrapServers, group), ledger);
        a.Subscribe(topic);
        b.Subscribe(topic);
        c.Subscribe(topic);

        await GroupAssert.ConvergedAsync([a, b, c], all, TimeSpan.FromSeconds(20), () => a.Assignment.Count == 3 && b.Assignment.Count == 3);
        Assert.Single(new[] { a, b, c }.Select(m => m.Membership.GenerationId).Distinct());

        await b.CloseAsync();
        await GroupAssert.ConvergedAsync([a, c], all, TimeSpan.FromSeconds(15));
        Assert.Empty(ledger.Violations);
    }

    [SkippableFact]
    public async Task A_member_that_stops_heartbeating_loses_its_partitions_after_the_session_timeout()
    {
        var (topic, group) = await PrepareAsync(4);
        TopicPartition[] all = GroupAssert.Partitions(topic, 4);
        await using var a = new GroupTestMember("a", GroupTestMember.Config(fixture.BootstrapServers, group));
        await using var b = new GroupTestMember("b", GroupTestMember.Config(fixture.BootstrapServers, group));
        a.Subscribe(topic);
        b.Subscribe(topic);
        await GroupAssert.ConvergedAsync([a, b], all, TimeSpan.FromSeconds(15), () => a.Assignment.Count == 2);

        var hung = (ClassicMembership)b.Membership;
        hung.HeartbeatsSuspended = true;
        DateTime suspended = DateTime.UtcNow;
        await GroupAssert.ConvergedAsync([a], all, TimeSpan.FromSeconds(15));
        Assert.True(DateTime.UtcNow - suspended >= TimeSpan.FromSeconds(2.5), "a took over before the session timeout");

        // The hung member learns it was removed at its next heartbeat: what it held is lost, and it rejoins.
        hung.HeartbeatsSuspended = false;
        await WaitForAsync(() => b.Events.Any(e => e.Kind == GroupEventKind.Lost), "the Lost event", TimeSpan.FromSeconds(10));
        await GroupAssert.ConvergedAsync([a, b], all, TimeSpan.FromSeconds(15), () => b.Assignment.Count == 2);
    }

    [SkippableFact]
    public async Task Cooperative_sticky_never_revokes_partitions_that_do_not_move()
    {
        var (topic, group) = await PrepareAsync(6);
        var ledger = new OwnershipLedger();
        TopicPartition[] all = GroupAssert.Partitions(topic, 6);
        ConsumerConfig config = GroupTestMember.Config(fixture.BootstrapServers, group, "cooperative-sticky");
        await using var a = new GroupTestMember("a", config, ledger);
        await using var b = new GroupTestMember("b", config, ledger);
        a.Subscribe(topic);
        b.Subscribe(topic);
        await GroupAssert.ConvergedAsync([a, b], all, TimeSpan.FromSeconds(15), () => a.Assignment.Count == 3);
        Dictionary<string, HashSet<TopicPartition>> before = new() { ["a"] = a.Assignment, ["b"] = b.Assignment };
        int aEvents = a.Events.Length;
        int bEvents = b.Events.Length;

        await using var c = new GroupTestMember("c", config, ledger);
        c.Subscribe(topic);
        await GroupAssert.ConvergedAsync([a, b, c], all, TimeSpan.FromSeconds(20), () => c.Assignment.Count == 2 && a.Assignment.Count == 2);

        foreach (var (member, skip) in new[] { (a, aEvents), (b, bEvents) })
        {
            TopicPartition[] revoked = member.Events.Skip(skip).Where(e => e.Kind == GroupEventKind.Revoked).SelectMany(e => e.Partitions).ToArray();
            Assert.DoesNotContain(member.Events.Skip(skip), e => e.Kind == GroupEventKind.Lost);
            Assert.All(revoked, tp => Assert.Contains(tp, c.Assignment)); // only what moved was revoked
            Assert.Subset(before[member.Name], member.Assignment);        // and the rest stayed
        }

        Assert.Empty(ledger.Violations);
    }

    [SkippableFact]
    public async Task Offsets_commit_and_fetch_back()
    {
        var (topic, group) = await PrepareAsync(3);
        await using var a = new GroupTestMember("a", GroupTestMember.Config(fixture.BootstrapServers, group));
        a.Subscribe(topic);
        await GroupAssert.ConvergedAsync([a], GroupAssert.Partitions(topic, 3), TimeSpan.FromSeconds(15));

        IReadOnlyList<TopicPartitionOffset> before = await a.Membership.FetchCommittedAsync(GroupAssert.Partitions(topic, 3), CancellationToken.None);
        Assert.All(before, o => Assert.Equal(Offset.Unset, o.Offset));
        await a.Membership.CommitAsync([new(topic, 0, 5), new(topic, 2, 11)], CancellationToken.None);
        IReadOnlyList<TopicPartitionOffset> after = await a.Membership.FetchCommittedAsync(GroupAssert.Partitions(topic, 3), CancellationToken.None);
        Assert.Equal([5L, Offset.Unset.Value, 11L], after.Select(o => o.Offset.Value));

        KafkaException ex = await Assert.ThrowsAsync<KafkaException>(async () => await a.Membership.CommitAsync([new(topic, 7, 1)], CancellationToken.None));
        Assert.Contains($"{topic} [7]", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_static_member_closes_without_leaving_and_the_group_does_not_rebalance()
    {
        var (topic, group) = await PrepareAsync(4);
        TestCluster cluster = fixture.Cluster;
        TopicPartition[] all = GroupAssert.Partitions(topic, 4);
        await using var dynamicMember = new GroupTestMember("dynamic", GroupTestMember.Config(fixture.BootstrapServers, group));
        var staticMember = new GroupTestMember("static", GroupTestMember.Config(fixture.BootstrapServers, group, instanceId: "static-1"));
        staticMember.Subscribe(topic);
        dynamicMember.Subscribe(topic);
        await GroupAssert.ConvergedAsync([staticMember, dynamicMember], all, TimeSpan.FromSeconds(15), () => staticMember.Assignment.Count == 2);
        int generation = dynamicMember.Membership.GenerationId;
        HashSet<TopicPartition> held = dynamicMember.Assignment;
        int events = dynamicMember.Events.Length;

        await cluster.StartRequestTrackingAsync();
        await staticMember.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // well within the 3 s session timeout
        IReadOnlyList<TrackedRequest> requests = await cluster.GetTrackedRequestsAsync();
        await cluster.StopRequestTrackingAsync();

        Assert.DoesNotContain(requests, r => r.ApiKey == ApiKey.LeaveGroup);
        Assert.Equal(generation, dynamicMember.Membership.GenerationId);
        Assert.Equal(held, dynamicMember.Assignment);
        Assert.Equal(events, dynamicMember.Events.Length); // no revocation, no new assignment
    }

    [SkippableFact]
    public async Task A_static_member_restarted_within_the_session_timeout_keeps_its_assignment_without_a_rebalance()
    {
        Skip.IfNot(fixture.IsExternal,
            "librdkafka's mock cluster does not implement KIP-345 for classic groups: its JoinGroup finds members by member id only, " +
            "so a restarted static member is a new member and triggers a rebalance. Runs against a real broker (SAMSA_BOOTSTRAP).");
        var (topic, group) = await PrepareAsync(4);
        TopicPartition[] all = GroupAssert.Partitions(topic, 4);
        ConsumerConfig staticConfig = GroupTestMember.Config(fixture.BootstrapServers, group, instanceId: "static-1") with { SessionTimeout = TimeSpan.FromSeconds(10) };
        await using var dynamicMember = new GroupTestMember("dynamic", GroupTestMember.Config(fixture.BootstrapServers, group) with { SessionTimeout = TimeSpan.FromSeconds(10) });
        var first = new GroupTestMember("static", staticConfig);
        first.Subscribe(topic);
        dynamicMember.Subscribe(topic);
        await GroupAssert.ConvergedAsync([first, dynamicMember], all, TimeSpan.FromSeconds(25), () => first.Assignment.Count == 2);
        int generation = dynamicMember.Membership.GenerationId;
        HashSet<TopicPartition> held = first.Assignment;
        await first.DisposeAsync();

        await using var restarted = new GroupTestMember("static", staticConfig);
        restarted.Subscribe(topic);
        await GroupAssert.ConvergedAsync([restarted, dynamicMember], all, TimeSpan.FromSeconds(10));
        Assert.Equal(held, restarted.Assignment);
        Assert.Equal(generation, restarted.Membership.GenerationId);
        Assert.Equal(generation, dynamicMember.Membership.GenerationId);
    }

    [SkippableFact]
    public async Task A_regex_subscription_takes_a_matching_topic_created_later()
    {
        var (topic, group) = await PrepareAsync(2);
        ConsumerConfig config = GroupTestMember.Config(fixture.BootstrapServers, group) with { MetadataMaxAge = TimeSpan.FromMilliseconds(500) };
        await using var a = new GroupTestMember("a", config);
        a.Subscribe("^" + topic + "(-.*)?$");
        await GroupAssert.ConvergedAsync([a], GroupAssert.Partitions(topic, 2), TimeSpan.FromSeconds(10));

        string later = topic + "-later";
        await fixture.CreateTopicAsync(later, 3);
        await GroupAssert.ConvergedAsync([a], [.. GroupAssert.Partitions(topic, 2), .. GroupAssert.Partitions(later, 3)], TimeSpan.FromSeconds(10));
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
