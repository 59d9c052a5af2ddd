using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;
using static Samsa.Tests.Admin.AdminTestKit;

namespace Samsa.Tests.Admin;

/// <summary>Group administration: ListGroups on every broker, coordinator routing, per-group results.</summary>
public sealed class AdminGroupTests
{
    private static FakeKafka ThreeGroups()
    {
        var fake = new FakeKafka(3);
        fake.AddGroup("g-one", coordinator: 1).State = "Stable";
        fake.AddGroup("g-two", coordinator: 2);
        FakeGroup three = fake.AddGroup("g-three", coordinator: 3);
        three.Type = "consumer";
        return fake;
    }

    [Fact]
    public async Task Lists_the_groups_of_every_broker()
    {
        await using FakeKafka fake = ThreeGroups();
        await using AdminClient admin = Client(fake);
        IReadOnlyList<GroupListing> groups = await admin.ListGroupsAsync(cancellationToken: Timeout());
        Assert.Equal(["g-one", "g-three", "g-two"], groups.Select(g => g.GroupId));
        Assert.Equal([1, 3, 2], groups.Select(g => g.CoordinatorId));
        Assert.Equal("Stable", groups[0].State);
        Assert.Equal("consumer", groups[1].Type);
        Assert.Equal([1, 2, 3], fake.RequestsOf<ListGroupsRequest>().Select(r => r.BrokerId).Order());

        IReadOnlyList<GroupListing> stable = await admin.ListGroupsAsync(states: ["Stable"], cancellationToken: Timeout());
        Assert.Equal("g-one", Assert.Single(stable).GroupId);
        IReadOnlyList<GroupListing> consumer = await admin.ListGroupsAsync(types: ["consumer"], cancellationToken: Timeout());
        Assert.Equal("g-three", Assert.Single(consumer).GroupId);
    }

    [Fact]
    public async Task A_failing_broker_does_not_hide_the_others_groups()
    {
        await using FakeKafka fake = ThreeGroups();
        fake.Intercept = (broker, r) => broker == 2 && r.ApiKey == ApiKey.ListGroups
            ? new FakeReply.Message(new ListGroupsResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed })
            : null;
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<ListGroupsException>(() => admin.ListGroupsAsync(cancellationToken: Timeout()));
        Assert.Equal(["g-one", "g-three"], ex.Groups.Select(g => g.GroupId));
        Assert.Equal(ErrorCode.GroupAuthorizationFailed, Assert.Single(ex.BrokerErrors).Value.Error);
        Assert.Equal(2, ex.BrokerErrors.Keys.Single());
        Assert.Contains("broker 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_filters_need_ListGroups_v4()
    {
        await using FakeKafka fake = ThreeGroups();
        fake.MaxVersions[ApiKey.ListGroups] = 3;
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<ListGroupsException>(() => admin.ListGroupsAsync(states: ["Stable"], cancellationToken: Timeout()));
        Assert.All(ex.BrokerErrors.Values, e => Assert.Equal(ErrorCode.UnsupportedVersion, e.Error));
    }

    [Fact]
    public async Task Describes_groups_at_their_coordinators_with_decoded_assignments()
    {
        await using FakeKafka fake = ThreeGroups();
        FakeGroup one = fake.Group("g-one")!;
        one.Protocol = "range";
        one.Members.Add(new FakeMember("m-1", "client-a", "/10.0.0.1", Assignment("orders", 0, 2), "static-1"));
        one.Members.Add(new FakeMember("m-2", "client-b", "/10.0.0.2", Assignment("orders", 1)));
        await using AdminClient admin = Client(fake);
        IReadOnlyList<GroupDescription> described = await admin.DescribeGroupsAsync(["g-one", "g-two"], cancellationToken: Timeout());

        GroupDescription g = described[0];
        Assert.Equal("Stable", g.State);
        Assert.Equal("consumer", g.ProtocolType);
        Assert.Equal("range", g.Protocol);
        Assert.Equal(1, g.Coordinator!.Id);
        Assert.Equal([new TopicPartition("orders", 0), new TopicPartition("orders", 2)], g.Members[0].Assignment);
        Assert.Equal("static-1", g.Members[0].GroupInstanceId);
        Assert.Equal("client-b", g.Members[1].ClientId);
        Assert.Equal("Empty", described[1].State);
        var sent = fake.RequestsOf<DescribeGroupsRequest>();
        Assert.Contains(sent, s => s.BrokerId == 1 && s.Request.Groups.SequenceEqual(["g-one"]));
        Assert.Contains(sent, s => s.BrokerId == 2 && s.Request.Groups.SequenceEqual(["g-two"]));
    }

    [Fact]
    public async Task Follows_a_coordinator_that_moved()
    {
        await using FakeKafka fake = ThreeGroups();
        await using AdminClient admin = Client(fake);
        await admin.DescribeGroupsAsync(["g-two"], cancellationToken: Timeout()); // caches coordinator 2
        fake.SetCoordinator("g-two", 3);
        fake.ClearRequests();
        IReadOnlyList<GroupDescription> again = await admin.DescribeGroupsAsync(["g-two"], cancellationToken: Timeout());
        Assert.Equal(ErrorCode.None, again[0].Error);
        Assert.Equal(3, again[0].Coordinator!.Id);
        Assert.Equal([2, 3], fake.RequestsOf<DescribeGroupsRequest>().Select(r => r.BrokerId));
        Assert.NotEmpty(fake.RequestsOf<FindCoordinatorRequest>());
    }

    [Fact]
    public async Task Coordinator_loading_is_waited_out()
    {
        await using FakeKafka fake = ThreeGroups();
        fake.InjectError(ApiKey.DeleteGroups, ErrorCode.CoordinatorLoadInProgress, 2);
        await using AdminClient admin = Client(fake);
        IReadOnlyList<DeleteGroupResult> deleted = await admin.DeleteGroupsAsync(["g-two"], cancellationToken: Timeout());
        Assert.Equal(ErrorCode.None, deleted[0].Error);
        Assert.Equal(3, fake.RequestsOf<DeleteGroupsRequest>().Count);
        Assert.Null(fake.Group("g-two"));
    }

    [Fact]
    public async Task Deletes_groups_with_per_group_results()
    {
        await using FakeKafka fake = ThreeGroups();
        fake.Group("g-one")!.Members.Add(new FakeMember("m", "c", "/h", []));
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<AdminException<DeleteGroupResult>>(() => admin.DeleteGroupsAsync(["g-one", "g-two", "nobody"], cancellationToken: Timeout()));
        Assert.Equal([ErrorCode.NonEmptyGroup, ErrorCode.None, ErrorCode.GroupIdNotFound], ex.Results.Select(r => r.Error));
        Assert.NotNull(fake.Group("g-one"));
        Assert.Null(fake.Group("g-two"));
    }
}
