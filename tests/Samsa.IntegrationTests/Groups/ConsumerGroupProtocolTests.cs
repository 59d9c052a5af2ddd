using Samsa.Groups;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Groups;

/// <summary>KIP-848 (group.protocol=consumer) memberships against the test cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConsumerGroupProtocolTests(ClusterFixture fixture)
{
    private async Task<(string Topic, string Group)> PrepareAsync(int partitions, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        string topic = UniqueNames.Topic(test);
        await fixture.CreateTopicAsync(topic, partitions);
        return (topic, UniqueNames.Group(test));
    }

    [SkippableFact]
    public async Task Members_join_and_leave_and_the_assignment_converges_and_commits_carry_the_epoch()
    {
        var (topic, group) = await PrepareAsync(4);
        var ledger = new OwnershipLedger();
        TopicPartition[] all = GroupAssert.Partitions(topic, 4);
        ConsumerConfig config = GroupTestMember.Config(fixture.BootstrapServers, group, kip848: true);
        await using var a = new GroupTestMember("a", config, ledger);
        a.Subscribe(topic);
        await GroupAssert.ConvergedAsync([a], all, TimeSpan.FromSeconds(10));
        Assert.True(a.Membership.GenerationId > 0);

        await using var b = new GroupTestMember("b", config, ledger);
        b.Subscribe(topic);
        await GroupAssert.ConvergedAsync([a, b], all, TimeSpan.FromSeconds(15), () => a.Assignment.Count == 2);
        Assert.Empty(ledger.Violations);

        // OffsetCommit carries the member epoch (the coordinator checks it), and the offsets read back.
        TopicPartition mine = a.Assignment.First();
        await a.Membership.CommitAsync([new(mine, 17)], CancellationToken.None);
        IReadOnlyList<TopicPartitionOffset> committed = await b.Membership.FetchCommittedAsync([mine], CancellationToken.None);
        Assert.Equal(17, committed[0].Offset.Value);

        await b.CloseAsync();
        await GroupAssert.ConvergedAsync([a], all, TimeSpan.FromSeconds(10));
        Assert.Empty(ledger.Violations);
    }

    [SkippableFact]
    public async Task A_static_member_restarted_within_the_session_timeout_keeps_its_assignment_and_the_others_see_nothing()
    {
        var (topic, group) = await PrepareAsync(4);
        TopicPartition[] all = GroupAssert.Partitions(topic, 4);
        ConsumerConfig staticConfig = GroupTestMember.Config(fixture.BootstrapServers, group, instanceId: "static-a", kip848: true);
        await using var other = new GroupTestMember("other", GroupTestMember.Config(fixture.BootstrapServers, group, kip848: true));
        var first = new GroupTestMember("static", staticConfig);
        first.Subscribe(topic);
        other.Subscribe(topic);
        await GroupAssert.ConvergedAsync([first, other], all, TimeSpan.FromSeconds(15), () => first.Assignment.Count == 2);
        HashSet<TopicPartition> held = first.Assignment;
        string firstId = first.Membership.MemberId;
        int otherEpoch = other.Membership.GenerationId;
        int otherEvents = other.Events.Length;
        await first.DisposeAsync(); // a static leave (epoch -2): the group keeps the assignment for the session

        await using var restarted = new GroupTestMember("static", staticConfig);
        restarted.Subscribe(topic);
        await GroupAssert.ConvergedAsync([restarted, other], all, TimeSpan.FromSeconds(10));
        Assert.NotEqual(firstId, restarted.Membership.MemberId); // a new instance, a new member id (KIP-1082)
        Assert.Equal(held, restarted.Assignment);
        Assert.Equal(otherEpoch, other.Membership.GenerationId);
        Assert.Equal(otherEvents, other.Events.Length);
    }

    [SkippableFact]
    public async Task A_regex_subscription_is_resolved_by_the_broker()
    {
        var (topic, group) = await PrepareAsync(2);
        string second = topic + "-more";
        await fixture.CreateTopicAsync(second, 1);
        await using var a = new GroupTestMember("a", GroupTestMember.Config(fixture.BootstrapServers, group, kip848: true));
        a.Subscribe("^" + topic + ".*");
        await GroupAssert.ConvergedAsync([a], [.. GroupAssert.Partitions(topic, 2), .. GroupAssert.Partitions(second, 1)], TimeSpan.FromSeconds(10));
    }
}
