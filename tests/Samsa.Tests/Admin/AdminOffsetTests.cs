using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;
using static Samsa.Tests.Admin.AdminTestKit;

namespace Samsa.Tests.Admin;

/// <summary>Group offsets (OffsetFetch/OffsetCommit/OffsetDelete as an admin), ListOffsets and DeleteRecords.</summary>
public sealed class AdminOffsetTests
{
    [Fact]
    public async Task Alters_and_lists_a_groups_offsets_as_an_outsider()
    {
        await using var fake = new FakeKafka(3);
        fake.AddTopic("t", 3);
        fake.AddGroup("g", coordinator: 2);
        await using AdminClient admin = Client(fake);
        IReadOnlyList<PartitionResult> altered = await admin.AlterGroupOffsetsAsync("g",
            [new TopicPartitionOffset("t", 0, 10), new TopicPartitionOffset("t", 2, 30, LeaderEpoch: 4)], cancellationToken: Timeout());
        Assert.All(altered, r => Assert.Equal(ErrorCode.None, r.Error));

        var commit = Assert.Single(fake.RequestsOf<OffsetCommitRequest>());
        Assert.Equal(2, commit.BrokerId);
        Assert.Equal(-1, commit.Request.GenerationIdOrMemberEpoch);
        Assert.Equal("", commit.Request.MemberId);
        Assert.Null(commit.Request.GroupInstanceId);

        IReadOnlyList<GroupOffsetResult> all = await admin.ListGroupOffsetsAsync("g", cancellationToken: Timeout());
        Assert.Equal([new TopicPartition("t", 0), new TopicPartition("t", 2)], all.Select(r => r.TopicPartition));
        Assert.Equal([10L, 30L], all.Select(r => r.Offset.Value));
        Assert.Equal(4, all[1].LeaderEpoch);

        IReadOnlyList<GroupOffsetResult> some = await admin.ListGroupOffsetsAsync("g", [new TopicPartition("t", 1), new TopicPartition("t", 0)], cancellationToken: Timeout());
        Assert.Equal([Offset.Unset, new Offset(10)], some.Select(r => r.Offset));
        Assert.All(fake.RequestsOf<OffsetFetchRequest>(), r => Assert.Equal(2, r.BrokerId));
    }

    [Fact]
    public async Task Lists_offsets_with_OffsetFetch_before_v8_too()
    {
        await using var fake = new FakeKafka(1);
        fake.AddTopic("t", 1);
        fake.AddGroup("g").Offsets[new TopicPartition("t", 0)] = (7, -1, "meta");
        fake.MaxVersions[ApiKey.OffsetFetch] = 7;
        await using AdminClient admin = Client(fake);
        IReadOnlyList<GroupOffsetResult> offsets = await admin.ListGroupOffsetsAsync("g", requireStable: true, cancellationToken: Timeout());
        Assert.Equal(7, Assert.Single(offsets).Offset.Value);
        Assert.Equal("meta", offsets[0].Metadata);
        var sent = Assert.Single(fake.RequestsOf<OffsetFetchRequest>()).Request;
        Assert.Equal("g", sent.GroupId);
        Assert.Null(sent.Topics);
        Assert.True(sent.RequireStable);
    }

    [Fact]
    public async Task Altering_an_active_groups_offsets_fails_per_partition()
    {
        await using var fake = new FakeKafka(1);
        fake.AddTopic("t", 2);
        fake.AddGroup("g").Members.Add(new FakeMember("m", "c", "/h", []));
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<AdminException<PartitionResult>>(() =>
            admin.AlterGroupOffsetsAsync("g", [new TopicPartitionOffset("t", 0, 1), new TopicPartitionOffset("t", 1, 1)], cancellationToken: Timeout()));
        Assert.All(ex.Results, r => Assert.Equal(ErrorCode.UnknownMemberId, r.Error));
    }

    [Fact]
    public async Task Coordinator_errors_are_retried()
    {
        await using var fake = new FakeKafka(2);
        fake.AddTopic("t", 1);
        fake.AddGroup("g", coordinator: 2);
        fake.InjectError(ApiKey.OffsetCommit, ErrorCode.NotCoordinator);
        fake.InjectError(ApiKey.OffsetFetch, ErrorCode.CoordinatorLoadInProgress);
        await using AdminClient admin = Client(fake);
        await admin.AlterGroupOffsetsAsync("g", [new TopicPartitionOffset("t", 0, 5)], cancellationToken: Timeout());
        IReadOnlyList<GroupOffsetResult> offsets = await admin.ListGroupOffsetsAsync("g", cancellationToken: Timeout());
        Assert.Equal(5, Assert.Single(offsets).Offset.Value);
        Assert.Equal(2, fake.RequestsOf<OffsetCommitRequest>().Count);
        Assert.Equal(2, fake.RequestsOf<OffsetFetchRequest>().Count);
        Assert.True(fake.RequestsOf<FindCoordinatorRequest>().Count >= 2); // NOT_COORDINATOR forgot the cached coordinator
    }

    [Fact]
    public async Task Deletes_offsets_except_those_of_subscribed_topics()
    {
        await using var fake = new FakeKafka(1);
        fake.AddTopic("keep", 1);
        fake.AddTopic("drop", 1);
        FakeGroup group = fake.AddGroup("g");
        group.Offsets[new TopicPartition("keep", 0)] = (1, -1, "");
        group.Offsets[new TopicPartition("drop", 0)] = (2, -1, "");
        group.SubscribedTopics.Add("keep");
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<AdminException<PartitionResult>>(() =>
            admin.DeleteGroupOffsetsAsync("g", [new TopicPartition("drop", 0), new TopicPartition("keep", 0)], cancellationToken: Timeout()));
        Assert.Equal([ErrorCode.None, ErrorCode.GroupSubscribedToTopic], ex.Results.Select(r => r.Error));
        Assert.Equal([new TopicPartition("keep", 0)], group.Offsets.Keys);

        var missing = await Assert.ThrowsAsync<AdminException<PartitionResult>>(() =>
            admin.DeleteGroupOffsetsAsync("nobody", [new TopicPartition("drop", 0)], cancellationToken: Timeout()));
        Assert.Equal(ErrorCode.GroupIdNotFound, missing.Results[0].Error);
    }

    [Fact]
    public async Task Lists_offsets_at_each_partitions_leader()
    {
        await using var fake = new FakeKafka(3);
        FakeTopic topic = fake.AddTopic("t", 3);
        topic.Partitions[0].Append(100, 200, 300);
        topic.Partitions[0].LogStartOffset = 1;
        topic.Partitions[1].Append(50, 500, 60);
        await using AdminClient admin = Client(fake);
        IReadOnlyList<ListOffsetsResult> results = await admin.ListOffsetsAsync(
        [
            new(new TopicPartition("t", 0), OffsetSpec.Earliest),
            new(new TopicPartition("t", 2), OffsetSpec.Latest),
            new(new TopicPartition("t", 1), OffsetSpec.ForTimestamp(100)),
        ], cancellationToken: Timeout());

        Assert.Equal(1, results[0].Offset.Value);
        Assert.Equal(0, results[1].Offset.Value);
        Assert.Equal(1, results[2].Offset.Value);
        Assert.Equal(500, results[2].Timestamp);

        IReadOnlyList<ListOffsetsResult> max = await admin.ListOffsetsAsync([new(new TopicPartition("t", 1), OffsetSpec.MaxTimestamp)], cancellationToken: Timeout());
        Assert.Equal(1, max[0].Offset.Value);

        foreach (var (broker, request) in fake.RequestsOf<ListOffsetsRequest>())
        {
            foreach (ListOffsetsRequest.ListOffsetsPartition p in request.Topics.Single().Partitions)
            {
                Assert.Equal(topic.Partitions[p.PartitionIndex].Leader, broker);
            }
        }
    }

    [Fact]
    public async Task A_leader_change_is_followed()
    {
        await using var fake = new FakeKafka(2);
        FakeTopic topic = fake.AddTopic("t", 1);
        topic.Partitions[0].Append(1, 2);
        await using AdminClient admin = Client(fake);
        await admin.ListOffsetsAsync([new(new TopicPartition("t", 0), OffsetSpec.Latest)], cancellationToken: Timeout());
        int oldLeader = topic.Partitions[0].Leader;
        lock (fake.Gate)
        {
            topic.Partitions[0].Leader = oldLeader == 1 ? 2 : 1;
            topic.Partitions[0].LeaderEpoch++;
        }

        IReadOnlyList<DeleteRecordsResult> deleted = await admin.DeleteRecordsAsync([new TopicPartitionOffset("t", 0, Offset.End)], cancellationToken: Timeout());
        Assert.Equal(2, deleted[0].LowWatermark.Value);
        Assert.Equal(2, topic.Partitions[0].LogStartOffset);
    }

    [Fact]
    public async Task Deletes_records_with_per_partition_results()
    {
        await using var fake = new FakeKafka(3);
        FakeTopic topic = fake.AddTopic("t", 2);
        topic.Partitions[0].Append(1, 2, 3, 4);
        topic.Partitions[1].Append(1);
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<AdminException<DeleteRecordsResult>>(() => admin.DeleteRecordsAsync(
            [new TopicPartitionOffset("t", 0, 3), new TopicPartitionOffset("t", 1, 9), new TopicPartitionOffset("t", 7, 1), new TopicPartitionOffset("nope", 0, 1)],
            cancellationToken: Timeout()));
        Assert.Equal(3, ex.Results[0].LowWatermark.Value);
        Assert.Equal(ErrorCode.OffsetOutOfRange, ex.Results[1].Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, ex.Results[2].Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, ex.Results[3].Error);
        Assert.Equal(3, topic.Partitions[0].LogStartOffset);
    }
}
