using Samsa.IntegrationTests.Cluster;
using Samsa.Protocol;
using Samsa.TestSupport;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Admin;

/// <summary>
/// The admin client against the test cluster, for what the mock implements: Metadata (cluster and topic
/// descriptions), ListOffsets, OffsetCommit/OffsetFetch at a placed coordinator, with the
/// mock's fault injection. The admin APIs the mock lacks must fail at once with a clear error.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AdminMockClusterTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private AdminClient Client() => new(new AdminConfig
    {
        BootstrapServers = fixture.BootstrapServers,
        RequestTimeout = TimeSpan.FromSeconds(15),
        RetryBackoff = TimeSpan.FromMilliseconds(50),
    });

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [SkippableFact]
    public async Task Describes_the_cluster_and_its_topics()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 4, replicationFactor: 3);
        await using AdminClient admin = Client();
        ClusterDescription cluster = await admin.DescribeClusterAsync(cancellationToken: Timeout());
        Assert.False(string.IsNullOrEmpty(cluster.ClusterId));
        if (!fixture.IsExternal)
        {
            Assert.Equal(Enumerable.Range(1, fixture.Cluster.BrokerCount), cluster.Brokers.Select(b => b.Id));
        }

        IReadOnlyList<TopicDescription> described = await admin.DescribeTopicsAsync([topic], cancellationToken: Timeout());
        Assert.Equal(4, described[0].Partitions.Count);
        Assert.All(described[0].Partitions, p => Assert.Equal(3, p.Replicas.Count));
        Assert.Contains(await admin.ListTopicsAsync(cancellationToken: Timeout()), t => t.Name == topic);

        var missing = await Assert.ThrowsAsync<AdminException<TopicDescription>>(() => admin.DescribeTopicsAsync([UniqueNames.Topic()], cancellationToken: Timeout()));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, missing.Error);
    }

    [SkippableFact]
    public async Task Lists_offsets_at_the_leaders()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 2, replicationFactor: 1);
        await using (var producer = new Producer<string, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }))
        {
            for (int i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string> { Value = "v" + i });
            }
        }

        await fixture.Cluster.StartRequestTrackingAsync();
        await using AdminClient admin = Client();
        TopicPartition p0 = new(topic, 0), p1 = new(topic, 1);
        IReadOnlyList<ListOffsetsResult> offsets = await admin.ListOffsetsAsync([new(p0, OffsetSpec.Earliest), new(p1, OffsetSpec.Latest)], cancellationToken: Timeout());
        Assert.Equal(0, offsets[0].Offset.Value);
        Assert.Equal(0, offsets[1].Offset.Value);
        IReadOnlyList<ListOffsetsResult> latest = await admin.ListOffsetsAsync([new(p0, OffsetSpec.Latest)], cancellationToken: Timeout());
        Assert.Equal(10, latest[0].Offset.Value);

        IReadOnlyList<TrackedRequest> tracked = await fixture.Cluster.GetTrackedRequestsAsync();
        await fixture.Cluster.StopRequestTrackingAsync();
        IReadOnlyList<TopicDescription> described = await admin.DescribeTopicsAsync([topic], cancellationToken: Timeout());
        int[] leaders = [described[0].Partitions[0].Leader, described[0].Partitions[1].Leader];
        var listOffsets = tracked.Where(r => r.ApiKey == ApiKey.ListOffsets).Select(r => r.BrokerId).ToHashSet();
        Assert.Subset(leaders.ToHashSet(), listOffsets);
        Assert.Superset(leaders.ToHashSet(), listOffsets);

        // The mock has no DeleteRecords handler: the partition's result says so, at once.
        var deleted = await Assert.ThrowsAsync<AdminException<DeleteRecordsResult>>(() => admin.DeleteRecordsAsync([new TopicPartitionOffset(p0, 4)], cancellationToken: Timeout()));
        Assert.Equal(ErrorCode.UnsupportedVersion, deleted.Results[0].Error);
        Assert.Contains("does not support DeleteRecords", deleted.Results[0].ErrorMessage, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Alters_and_lists_group_offsets_at_the_placed_coordinator()
    {
        string topic = UniqueNames.Topic();
        string group = UniqueNames.Group();
        await fixture.CreateTopicAsync(topic, partitions: 3);
        await fixture.Cluster.SetCoordinatorAsync(Samsa.TestSupport.CoordinatorType.Group, group, 2);
        await fixture.Cluster.StartRequestTrackingAsync();
        await using AdminClient admin = Client();
        await admin.AlterGroupOffsetsAsync(group, [new TopicPartitionOffset(topic, 0, 5), new TopicPartitionOffset(topic, 2, 7)], cancellationToken: Timeout());
        IReadOnlyList<GroupOffsetResult> offsets = await admin.ListGroupOffsetsAsync(group, [new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2)], cancellationToken: Timeout());
        IReadOnlyList<TrackedRequest> tracked = await fixture.Cluster.GetTrackedRequestsAsync();
        await fixture.Cluster.StopRequestTrackingAsync();

        Assert.Equal([new Offset(5), Offset.Unset, new Offset(7)], offsets.Select(o => o.Offset));
        Assert.All(tracked.Where(r => r.ApiKey is ApiKey.OffsetCommit or ApiKey.OffsetFetch), r => Assert.Equal(2, r.BrokerId));
        Assert.Contains(tracked, r => r.ApiKey == ApiKey.OffsetCommit);
    }

    [SkippableFact]
    public async Task Retries_what_the_mock_injects_coordinator_and_leader_errors()
    {
        string topic = UniqueNames.Topic();
        string group = UniqueNames.Group();
        await fixture.CreateTopicAsync(topic, partitions: 1);
        await using AdminClient admin = Client();
        await fixture.Cluster.PushRequestErrorsAsync(ApiKey.OffsetCommit, ErrorCode.NotCoordinator, ErrorCode.CoordinatorLoadInProgress);
        IReadOnlyList<PartitionResult> committed = await admin.AlterGroupOffsetsAsync(group, [new TopicPartitionOffset(topic, 0, 3)], cancellationToken: Timeout());
        Assert.Equal(ErrorCode.None, committed[0].Error);

        await fixture.Cluster.PushRequestErrorsAsync(ApiKey.ListOffsets, ErrorCode.NotLeaderOrFollower);
        IReadOnlyList<ListOffsetsResult> offsets = await admin.ListOffsetsAsync([new(new TopicPartition(topic, 0), OffsetSpec.Latest)], cancellationToken: Timeout());
        Assert.Equal(ErrorCode.None, offsets[0].Error);

        // (Named partitions: the mock answers a request for all of a group's offsets with a null topic array.)
        IReadOnlyList<GroupOffsetResult> fetched = await admin.ListGroupOffsetsAsync(group, [new TopicPartition(topic, 0)], cancellationToken: Timeout());
        Assert.Equal(3, Assert.Single(fetched).Offset.Value);
    }

    [SkippableFact]
    public async Task Admin_apis_the_mock_lacks_fail_at_once_with_a_clear_error()
    {
        Skip.If(fixture.IsExternal, "a real cluster implements these APIs");
        await using AdminClient admin = Client();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var create = await Assert.ThrowsAnyAsync<KafkaException>(() => admin.CreateTopicsAsync([new NewTopic(UniqueNames.Topic(), 1, 1)], cancellationToken: Timeout()));
        Assert.Equal(ErrorCode.UnsupportedVersion, create.Error);
        Assert.Contains("does not support CreateTopics", create.Message, StringComparison.Ordinal);
        var list = await Assert.ThrowsAsync<ListGroupsException>(() => admin.ListGroupsAsync(cancellationToken: Timeout()));
        Assert.All(list.BrokerErrors.Values, e => Assert.Equal(ErrorCode.UnsupportedVersion, e.Error));
        output.WriteLine($"{create.Message} / {list.Message} ({started.Elapsed.TotalMilliseconds:F0} ms)");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }
}
