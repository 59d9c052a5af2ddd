using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;
using Xunit.Abstractions;
using CK = Confluent.Kafka;
using CKA = Confluent.Kafka.Admin;

namespace Samsa.Tests.Admin;

/// <summary>
/// For each admin operation, Confluent.Kafka's AdminClient (librdkafka 2.16.0) and Samsa's run the same operation
/// against the same <see cref="FakeKafka"/>; the request each sends is recorded, Samsa is held to the version
/// librdkafka chose, and the two request bodies must be equal byte for byte. Where the two clients differ
/// on purpose, the test copies that one field over and says why (see <see cref="Scenarios"/>); every such
/// difference is listed in the test output.
/// </summary>
/// <remarks>
/// Not compared: DescribeCluster, because librdkafka 2.16 answers it from a Metadata request and never sends
/// DescribeCluster (Samsa's request is checked in <see cref="AdminTopicTests"/>); Metadata itself is compared
/// with librdkafka's in the golden-capture tests.
/// </remarks>
public sealed class AdminRequestsMatchConfluentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(7);

    private sealed record Scenario(
        ApiKey Api,
        Action<FakeKafka> Setup,
        Func<CK.IAdminClient, Task> Confluent,
        Func<AdminClient, Task> Samsa,
        Action<IKafkaMessage, IKafkaMessage>? Normalize = null,
        string? Difference = null);

    private static readonly Dictionary<string, Scenario> Scenarios = new()
    {
        ["CreateTopics"] = new(ApiKey.CreateTopics, Standard,
            c => c.CreateTopicsAsync(
            [
                new CKA.TopicSpecification { Name = "new-a", NumPartitions = 3, ReplicationFactor = 2 },
                new CKA.TopicSpecification { Name = "new-b", NumPartitions = 2, ReplicationFactor = -1, ReplicasAssignments = new() { [0] = [1, 2], [1] = [2, 3] } },
                new CKA.TopicSpecification { Name = "new-c", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["cleanup.policy"] = "compact" } },
            ], new CKA.CreateTopicsOptions { OperationTimeout = OperationTimeout }),
            s => s.CreateTopicsAsync(
            [
                new NewTopic("new-a", 3, 2),
                new NewTopic("new-b") { ReplicaAssignment = new Dictionary<int, IReadOnlyList<int>> { [0] = [1, 2], [1] = [2, 3] } },
                new NewTopic("new-c", 1, 1) { Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" } },
            ], new AdminOptions { OperationTimeout = OperationTimeout })),
        ["CreateTopics (validate only)"] = new(ApiKey.CreateTopics, Standard,
            c => c.CreateTopicsAsync([new CKA.TopicSpecification { Name = "checked", NumPartitions = 2, ReplicationFactor = 1 }],
                new CKA.CreateTopicsOptions { OperationTimeout = OperationTimeout, ValidateOnly = true }),
            s => s.CreateTopicsAsync([new NewTopic("checked", 2, 1)], new AdminOptions { OperationTimeout = OperationTimeout, ValidateOnly = true })),
        ["DeleteTopics"] = new(ApiKey.DeleteTopics, Standard,
            c => c.DeleteTopicsAsync(["a", "b"], new CKA.DeleteTopicsOptions { OperationTimeout = OperationTimeout }),
            s => s.DeleteTopicsAsync(["a", "b"], new AdminOptions { OperationTimeout = OperationTimeout })),
        ["CreatePartitions"] = new(ApiKey.CreatePartitions, Standard,
            c => c.CreatePartitionsAsync(
            [
                new CKA.PartitionsSpecification { Topic = "a", IncreaseTo = 5 },
                new CKA.PartitionsSpecification { Topic = "b", IncreaseTo = 4, ReplicaAssignments = [[1, 2], [2, 3]] },
            ], new CKA.CreatePartitionsOptions { OperationTimeout = OperationTimeout }),
            s => s.CreatePartitionsAsync(
            [
                new PartitionsIncrease("a", 5),
                new PartitionsIncrease("b", 4) { Assignments = [[1, 2], [2, 3]] },
            ], new AdminOptions { OperationTimeout = OperationTimeout })),
        ["DescribeConfigs (topic)"] = new(ApiKey.DescribeConfigs, Standard,
            c => c.DescribeConfigsAsync([new CKA.ConfigResource { Type = CKA.ResourceType.Topic, Name = "a" }]),
            s => s.DescribeConfigsAsync([ConfigResource.Topic("a")], includeSynonyms: true)),
        ["DescribeConfigs (broker)"] = new(ApiKey.DescribeConfigs, Standard,
            c => c.DescribeConfigsAsync([new CKA.ConfigResource { Type = CKA.ResourceType.Broker, Name = "2" }]),
            s => s.DescribeConfigsAsync([ConfigResource.Broker(2)], includeSynonyms: true)),
        ["IncrementalAlterConfigs"] = new(ApiKey.IncrementalAlterConfigs, Standard,
            c => c.IncrementalAlterConfigsAsync(new Dictionary<CKA.ConfigResource, List<CKA.ConfigEntry>>
            {
                [new CKA.ConfigResource { Type = CKA.ResourceType.Topic, Name = "a" }] =
                [
                    new CKA.ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = CKA.AlterConfigOpType.Set },
                    new CKA.ConfigEntry { Name = "retention.ms", Value = null, IncrementalOperation = CKA.AlterConfigOpType.Delete },
                ],
            }),
            s => s.IncrementalAlterConfigsAsync([new(ConfigResource.Topic("a"), [ConfigAlteration.Set("cleanup.policy", "compact"), ConfigAlteration.Delete("retention.ms")])])),
        ["ListGroups"] = new(ApiKey.ListGroups, Standard,
            c => c.ListConsumerGroupsAsync(new CKA.ListConsumerGroupsOptions { MatchStates = [CK.ConsumerGroupState.Stable, CK.ConsumerGroupState.Empty] }),
            s => s.ListGroupsAsync(states: ["Stable", "Empty"])),
        ["DescribeGroups"] = new(ApiKey.DescribeGroups, f => { Standard(f); f.Unsupported.Add(ApiKey.ConsumerGroupDescribe); },
            c => c.DescribeConsumerGroupsAsync(["g1"]),
            s => s.DescribeGroupsAsync(["g1"])),
        // librdkafka sends one DeleteGroups request per group; Samsa batches the groups of one coordinator
        // into one request, so one group is compared.
        ["DeleteGroups"] = new(ApiKey.DeleteGroups, Standard,
            c => c.DeleteGroupsAsync(["g2"]),
            s => s.DeleteGroupsAsync(["g2"])),
        ["OffsetCommit (alter group offsets)"] = new(ApiKey.OffsetCommit, Standard,
            c => c.AlterConsumerGroupOffsetsAsync([new CK.ConsumerGroupTopicPartitionOffsets("g2", [new CK.TopicPartitionOffset("a", 0, 10), new CK.TopicPartitionOffset("a", 1, 20)])]),
            s => s.AlterGroupOffsetsAsync("g2", [new TopicPartitionOffset("a", 0, 10), new TopicPartitionOffset("a", 1, 20)])),
        ["OffsetFetch (list group offsets)"] = new(ApiKey.OffsetFetch, Standard,
            c => c.ListConsumerGroupOffsetsAsync([new CK.ConsumerGroupTopicPartitions("g1", [new CK.TopicPartition("a", 0), new CK.TopicPartition("a", 2)])]),
            s => s.ListGroupOffsetsAsync("g1", [new TopicPartition("a", 0), new TopicPartition("a", 2)])),
        ["OffsetFetch (all of a group's offsets)"] = new(ApiKey.OffsetFetch, Standard,
            c => c.ListConsumerGroupOffsetsAsync([new CK.ConsumerGroupTopicPartitions("g1", null)]),
            s => s.ListGroupOffsetsAsync("g1")),
        ["OffsetDelete"] = new(ApiKey.OffsetDelete, Standard,
            c => c.DeleteConsumerGroupOffsetsAsync("g1", [new CK.TopicPartition("a", 0), new CK.TopicPartition("a", 1)]),
            s => s.DeleteGroupOffsetsAsync("g1", [new TopicPartition("a", 0), new TopicPartition("a", 1)])),
        ["ListOffsets"] = new(ApiKey.ListOffsets, Standard,
            c => CK.IAdminClientExtensions.ListOffsetsAsync(c, 
            [
                new CKA.TopicPartitionOffsetSpec { TopicPartition = new CK.TopicPartition("a", 0), OffsetSpec = CKA.OffsetSpec.Earliest() },
                new CKA.TopicPartitionOffsetSpec { TopicPartition = new CK.TopicPartition("a", 1), OffsetSpec = CKA.OffsetSpec.Latest() },
                new CKA.TopicPartitionOffsetSpec { TopicPartition = new CK.TopicPartition("a", 2), OffsetSpec = CKA.OffsetSpec.ForTimestamp(1_700_000_000_000) },
            ]),
            s => s.ListOffsetsAsync(
            [
                new(new TopicPartition("a", 0), OffsetSpec.Earliest),
                new(new TopicPartition("a", 1), OffsetSpec.Latest),
                new(new TopicPartition("a", 2), OffsetSpec.ForTimestamp(1_700_000_000_000)),
            ])),
        ["DeleteRecords"] = new(ApiKey.DeleteRecords, Standard,
            c => c.DeleteRecordsAsync([new CK.TopicPartitionOffset("a", 0, 2), new CK.TopicPartitionOffset("a", 1, CK.Offset.End)],
                new CKA.DeleteRecordsOptions { OperationTimeout = OperationTimeout }),
            s => s.DeleteRecordsAsync([new TopicPartitionOffset("a", 0, 2), new TopicPartitionOffset("a", 1, Offset.End)],
                new AdminOptions { OperationTimeout = OperationTimeout })),
    };

    public static TheoryData<string> Names => [.. Scenarios.Keys];

    /// <summary>Three brokers, controller 1; topics a (3 partitions, all led by broker 1) and b; groups g1 and g2 on broker 1.</summary>
    private static void Standard(FakeKafka fake)
    {
        FakeTopic a = fake.AddTopic("a", 3);
        foreach (FakePartition p in a.Partitions)
        {
            p.Leader = 1;
            p.Replicas = [1];
            p.Append(1_600_000_000_000, 1_700_000_000_000, 1_800_000_000_000);
        }

        a.Configs["retention.ms"] = "1000";
        fake.AddTopic("b", 2);
        FakeGroup g1 = fake.AddGroup("g1", coordinator: 1);
        g1.Offsets[new TopicPartition("a", 0)] = (1, -1, "");
        fake.AddGroup("g2", coordinator: 1);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Samsa_sends_the_bytes_Confluent_Kafka_sends(string name)
    {
        Scenario scenario = Scenarios[name];
        Librdkafka.LoadForConfluentKafka();
        FakeRequest theirs = await CaptureAsync(scenario, null, async fake =>
        {
            using CK.IAdminClient client = new CK.AdminClientBuilder(new CK.AdminClientConfig { BootstrapServers = fake.BootstrapServers }).Build();
            await scenario.Confluent(client);
        });
        FakeRequest ours = await CaptureAsync(scenario, theirs.Version, async fake =>
        {
            await using AdminClient client = AdminTestKit.Client(fake);
            await scenario.Samsa(client);
        });

        output.WriteLine($"{scenario.Api}: librdkafka v{theirs.Version}, Samsa v{ours.Version}, {theirs.Body.Length} bytes");
        Assert.Equal(theirs.Version, ours.Version);

        // librdkafka's request survives Samsa's decode and re-encode, so comparing re-encodings is sound.
        Assert.Null(FrameCodec.Difference(theirs.Body.Span, FrameCodec.Encode(theirs.Message, theirs.Version)));
        if (scenario.Normalize is not null)
        {
            scenario.Normalize(theirs.Message, ours.Message);
            output.WriteLine("normalized: " + scenario.Difference);
        }

        byte[] expected = FrameCodec.Encode(theirs.Message, theirs.Version);
        string? difference = FrameCodec.Difference(expected, ours.Body.Span);
        Assert.True(difference is null, $"{name} v{theirs.Version}: {difference}");
    }

    private static async Task<FakeRequest> CaptureAsync(Scenario scenario, short? version, Func<FakeKafka, Task> run)
    {
        await using var fake = new FakeKafka(3);
        scenario.Setup(fake);
        if (version is { } v)
        {
            fake.MaxVersions[scenario.Api] = v;
        }

        Exception? error = null;
        try
        {
            await run(fake).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is KafkaException or CK.KafkaException)
        {
            error = e; // per-item errors are fine here: only the request matters
        }

        (int _, FakeRequest request) = fake.Requests.FirstOrDefault(r => r.Request.ApiKey == scenario.Api);
        return request ?? throw new InvalidOperationException(
            $"No {scenario.Api} request was sent (requests: {string.Join(", ", fake.Requests.Select(r => r.Request.ApiKey))}; error: {error?.Message}).");
    }
}
