using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;
using static Samsa.Tests.Admin.AdminTestKit;

namespace Samsa.Tests.Admin;

/// <summary>Topic administration against a stateful fake cluster that enforces controller routing.</summary>
public sealed class AdminTopicTests
{
    [Fact]
    public async Task Creates_topics_at_the_controller_with_counts_assignments_and_configs()
    {
        await using var fake = new FakeKafka(3) { ControllerId = 2 };
        await using AdminClient admin = Client(fake);
        IReadOnlyList<CreateTopicResult> results = await admin.CreateTopicsAsync(
        [
            new NewTopic("plain", 4, 2),
            new NewTopic("placed") { ReplicaAssignment = new Dictionary<int, IReadOnlyList<int>> { [0] = [3, 1], [1] = [1, 2] } },
            new NewTopic("compacted", 1, 1) { Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" } },
        ], cancellationToken: Timeout());

        Assert.Equal(["plain", "placed", "compacted"], results.Select(r => r.Topic));
        Assert.All(results, r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Equal(4, results[0].NumPartitions);
        Assert.Equal(2, results[0].ReplicationFactor);
        Assert.NotEqual(Guid.Empty, results[0].TopicId);
        Assert.Equal(4, fake.Topic("plain")!.Partitions.Count);
        Assert.Equal([3, 1], fake.Topic("placed")!.Partitions[0].Replicas);
        Assert.Equal(3, fake.Topic("placed")!.Partitions[0].Leader);
        Assert.Equal("compact", fake.Topic("compacted")!.Configs["cleanup.policy"]);
        Assert.All(fake.RequestsOf<CreateTopicsRequest>(), r => Assert.Equal(2, r.BrokerId));
    }

    [Fact]
    public async Task One_failed_topic_does_not_hide_the_others()
    {
        await using var fake = new FakeKafka(3);
        fake.AddTopic("exists", 1);
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<AdminException<CreateTopicResult>>(() => admin.CreateTopicsAsync(
            [new NewTopic("fresh", 2, 1), new NewTopic("exists", 1, 1), new NewTopic("too-replicated", 1, 5)], cancellationToken: Timeout()));

        Assert.Equal(ErrorCode.TopicAlreadyExists, ex.Error);
        Assert.Equal(3, ex.Results.Count);
        Assert.Equal(ErrorCode.None, ex.Results[0].Error);
        Assert.Equal(ErrorCode.TopicAlreadyExists, ex.Results[1].Error);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, ex.Results[2].Error);
        Assert.Equal(2, ex.Failed.Count);
        Assert.Contains("2 of 3 failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("topic 'exists': TOPIC_ALREADY_EXISTS", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(fake.Topic("fresh"));
    }

    [Fact]
    public async Task Follows_the_controller_when_it_moves()
    {
        await using var fake = new FakeKafka(3) { ControllerId = 1 };
        await using AdminClient admin = Client(fake);
        await admin.CreateTopicsAsync([new NewTopic("first", 1, 1)], cancellationToken: Timeout());

        fake.ControllerId = 3;
        fake.ClearRequests();
        IReadOnlyList<DeleteTopicResult> deleted = await admin.DeleteTopicsAsync(["first"], cancellationToken: Timeout());

        Assert.Equal(ErrorCode.None, Assert.Single(deleted).Error);
        Assert.Null(fake.Topic("first"));
        var sent = fake.RequestsOf<DeleteTopicsRequest>();
        Assert.Equal(2, sent.Count);
        Assert.Equal(1, sent[0].BrokerId); // the old controller answered NOT_CONTROLLER
        Assert.Equal(3, sent[1].BrokerId);
        Assert.NotEmpty(fake.RequestsOf<MetadataRequest>()); // metadata was refreshed in between
    }

    [Fact]
    public async Task Without_a_known_controller_any_broker_is_asked_and_not_controller_retried()
    {
        await using var fake = new FakeKafka(3) { ControllerId = 99 };
        fake.Intercept = (_, r) =>
        {
            if (r.ApiKey == ApiKey.CreateTopics)
            {
                lock (fake.Gate)
                {
                    fake.ControllerId = 2; // elected while the first request was on its way
                }
            }

            return null;
        };
        await using AdminClient admin = Client(fake);
        IReadOnlyList<CreateTopicResult> results = await admin.CreateTopicsAsync([new NewTopic("t", 1, 1)], cancellationToken: Timeout());
        Assert.Equal(ErrorCode.None, results[0].Error);
        Assert.Equal(2, fake.RequestsOf<CreateTopicsRequest>()[^1].BrokerId);
    }

    [Fact]
    public async Task Validate_only_creates_nothing()
    {
        await using var fake = new FakeKafka(1);
        await using AdminClient admin = Client(fake);
        IReadOnlyList<CreateTopicResult> results = await admin.CreateTopicsAsync([new NewTopic("checked", 3, 1)], new AdminOptions { ValidateOnly = true }, Timeout());
        Assert.Equal(ErrorCode.None, results[0].Error);
        Assert.Null(fake.Topic("checked"));
        Assert.True(Assert.Single(fake.RequestsOf<CreateTopicsRequest>()).Request.validateOnly);
    }

    [Fact]
    public async Task Operation_timeout_goes_into_the_request()
    {
        await using var fake = new FakeKafka(1);
        await using AdminClient admin = Client(fake);
        await admin.CreateTopicsAsync([new NewTopic("t", 1, 1)], new AdminOptions { OperationTimeout = TimeSpan.FromMilliseconds(1234) }, Timeout());
        await admin.DeleteTopicsAsync(["t"], new AdminOptions { OperationTimeout = TimeSpan.FromMilliseconds(4321) }, Timeout());
        Assert.Equal(1234, Assert.Single(fake.RequestsOf<CreateTopicsRequest>()).Request.timeoutMs);
        Assert.Equal(4321, Assert.Single(fake.RequestsOf<DeleteTopicsRequest>()).Request.TimeoutMs);
    }

    [Fact]
    public async Task Broker_defaults_need_CreateTopics_v4()
    {
        await using var fake = new FakeKafka(1);
        fake.MaxVersions[ApiKey.CreateTopics] = 3;
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<KafkaException>(() => admin.CreateTopicsAsync([new NewTopic("defaults")], cancellationToken: Timeout()));
        Assert.Equal(ErrorCode.UnsupportedVersion, ex.Error);
        Assert.Contains("v4+", ex.Message, StringComparison.Ordinal);

        // With explicit counts v3 is fine.
        IReadOnlyList<CreateTopicResult> ok = await admin.CreateTopicsAsync([new NewTopic("explicit", 2, 1)], cancellationToken: Timeout());
        Assert.Equal(ErrorCode.None, ok[0].Error);
        Assert.Equal(-1, ok[0].NumPartitions); // v3 responses do not report the counts
    }

    [Fact]
    public async Task Deletes_by_name_list_before_v6_and_by_structure_from_v6()
    {
        await using var fake = new FakeKafka(1);
        fake.AddTopic("a", 1);
        fake.AddTopic("b", 1);
        await using (AdminClient admin = Client(fake))
        {
            await admin.DeleteTopicsAsync(["a"], cancellationToken: Timeout());
        }

        fake.MaxVersions[ApiKey.DeleteTopics] = 5;
        await using (AdminClient admin = Client(fake))
        {
            var ex = await Assert.ThrowsAsync<AdminException<DeleteTopicResult>>(() => admin.DeleteTopicsAsync(["b", "missing"], cancellationToken: Timeout()));
            Assert.Equal(ErrorCode.None, ex.Results[0].Error);
            Assert.Equal(ErrorCode.UnknownTopicOrPartition, ex.Results[1].Error);
        }

        var sent = fake.RequestsOf<DeleteTopicsRequest>();
        Assert.Equal("a", Assert.Single(sent[0].Request.Topics).Name);
        Assert.Empty(sent[0].Request.TopicNames);
        Assert.Equal(["b", "missing"], sent[1].Request.TopicNames);
        Assert.Null(fake.Topic("b"));
    }

    [Fact]
    public async Task Adds_partitions_with_and_without_assignments()
    {
        await using var fake = new FakeKafka(3);
        fake.AddTopic("grow", 2, 2);
        fake.AddTopic("placed", 1, 1);
        fake.AddTopic("shrink", 4, 1);
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<AdminException<CreatePartitionsResult>>(() => admin.CreatePartitionsAsync(
        [
            new PartitionsIncrease("grow", 5),
            new PartitionsIncrease("placed", 3) { Assignments = [[2], [3]] },
            new PartitionsIncrease("shrink", 2),
        ], cancellationToken: Timeout()));

        Assert.Equal([ErrorCode.None, ErrorCode.None, ErrorCode.InvalidPartitions], ex.Results.Select(r => r.Error));
        Assert.Equal(5, fake.Topic("grow")!.Partitions.Count);
        Assert.Equal([3], fake.Topic("placed")!.Partitions[2].Replicas);
    }

    [Fact]
    public async Task Describes_the_cluster_with_DescribeCluster_or_Metadata()
    {
        await using var fake = new FakeKafka(3) { ControllerId = 2 };
        await using (AdminClient admin = Client(fake))
        {
            ClusterDescription cluster = await admin.DescribeClusterAsync(cancellationToken: Timeout());
            Assert.Equal("fake-cluster-id", cluster.ClusterId);
            Assert.Equal(2, cluster.ControllerId);
            Assert.Equal([1, 2, 3], cluster.Brokers.Select(b => b.Id));
            Assert.Equal("rack-1", cluster.Brokers[0].Rack); // only DescribeCluster reports racks here
        }

        fake.Unsupported.Add(ApiKey.DescribeCluster);
        await using (AdminClient admin = Client(fake))
        {
            ClusterDescription cluster = await admin.DescribeClusterAsync(cancellationToken: Timeout());
            Assert.Equal(2, cluster.ControllerId);
            Assert.Equal(3, cluster.Brokers.Count);
            Assert.Null(cluster.Brokers[0].Rack);
        }

        Assert.Single(fake.RequestsOf<DescribeClusterRequest>());
    }

    [Fact]
    public async Task Lists_and_describes_topics()
    {
        await using var fake = new FakeKafka(3);
        fake.AddTopic("zeta", 1);
        fake.AddTopic("alpha", 3, 2);
        await using AdminClient admin = Client(fake);
        IReadOnlyList<TopicListing> listing = await admin.ListTopicsAsync(cancellationToken: Timeout());
        Assert.Equal(["alpha", "zeta"], listing.Select(t => t.Name));

        var ex = await Assert.ThrowsAsync<AdminException<TopicDescription>>(() => admin.DescribeTopicsAsync(["alpha", "nope"], cancellationToken: Timeout()));
        TopicDescription alpha = ex.Results[0];
        Assert.Equal(ErrorCode.None, alpha.Error);
        Assert.Equal(fake.Topic("alpha")!.Id, alpha.TopicId);
        Assert.Equal([0, 1, 2], alpha.Partitions.Select(p => p.Partition));
        Assert.Equal(2, alpha.Partitions[1].Replicas.Count);
        Assert.Equal(fake.Topic("alpha")!.Partitions[1].Leader, alpha.Partitions[1].Leader);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, ex.Results[1].Error);
    }

    [Fact]
    public async Task An_api_the_cluster_lacks_fails_at_once_with_a_clear_error()
    {
        await using var fake = new FakeKafka(1);
        fake.Unsupported.Add(ApiKey.CreateTopics);
        await using AdminClient admin = Client(fake);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<KafkaException>(() => admin.CreateTopicsAsync([new NewTopic("t", 1, 1)], cancellationToken: Timeout()));
        Assert.Equal(ErrorCode.UnsupportedVersion, ex.Error);
        Assert.Contains("does not support CreateTopics", ex.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task A_controller_that_never_answers_ends_in_a_timeout_per_topic()
    {
        await using var fake = new FakeKafka(1);
        fake.Intercept = (_, r) => r.ApiKey == ApiKey.CreateTopics ? new FakeReply.Silence() : null;
        await using AdminClient admin = Client(fake);
        var options = new AdminOptions { RequestTimeout = TimeSpan.FromSeconds(1) };
        var ex = await Assert.ThrowsAsync<AdminException<CreateTopicResult>>(() => admin.CreateTopicsAsync([new NewTopic("a", 1, 1), new NewTopic("b", 1, 1)], options, Timeout()));
        Assert.All(ex.Results, r => Assert.True(r.Error is ErrorCode.RequestTimedOut or ErrorCode.LocalTimedOut or ErrorCode.NetworkException, r.Error.ToString()));
    }

    [Fact]
    public async Task Cancellation_is_thrown_as_such()
    {
        await using var fake = new FakeKafka(1);
        fake.Intercept = (_, r) => r.ApiKey == ApiKey.CreateTopics ? new FakeReply.Silence() : null;
        await using AdminClient admin = Client(fake);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => admin.CreateTopicsAsync([new NewTopic("a", 1, 1)], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Bad_arguments_are_rejected_before_anything_is_sent()
    {
        await using var fake = new FakeKafka(1);
        await using AdminClient admin = Client(fake);
        await Assert.ThrowsAsync<ArgumentException>(() => admin.CreateTopicsAsync([new NewTopic("", 1, 1)]));
        await Assert.ThrowsAsync<ArgumentException>(() => admin.CreateTopicsAsync([new NewTopic("dup", 1, 1), new NewTopic("dup", 2, 1)]));
        await Assert.ThrowsAsync<ArgumentException>(() => admin.CreateTopicsAsync([new NewTopic("both", 2, 1) { ReplicaAssignment = new Dictionary<int, IReadOnlyList<int>> { [0] = [1] } }]));
        await Assert.ThrowsAsync<ArgumentException>(() => admin.CreateTopicsAsync([new NewTopic("zero", 0, 1)]));
        await Assert.ThrowsAsync<ArgumentException>(() => admin.CreatePartitionsAsync([new PartitionsIncrease("t", 0)]));
        Assert.Empty(fake.RequestsOf<CreateTopicsRequest>());
    }
}
