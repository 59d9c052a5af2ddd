using Samsa.Protocol.Messages;
using Samsa.TestSupport;
using static Samsa.Tests.Admin.AdminTestKit;

namespace Samsa.Tests.Admin;

/// <summary>DescribeConfigs and IncrementalAlterConfigs: routing per resource type, per-resource results.</summary>
public sealed class AdminConfigTests
{
    [Fact]
    public async Task Topic_configs_go_to_the_controller_and_broker_configs_to_that_broker()
    {
        await using var fake = new FakeKafka(3) { ControllerId = 3 };
        fake.AddTopic("orders", 1).Configs["retention.ms"] = "1000";
        await using AdminClient admin = Client(fake);
        IReadOnlyList<DescribeConfigsResult> results = await admin.DescribeConfigsAsync(
            [ConfigResource.Topic("orders"), ConfigResource.Broker(2)], includeSynonyms: true, includeDocumentation: true, cancellationToken: Timeout());

        DescribeConfigsResult topic = results[0];
        Assert.Equal(ConfigResource.Topic("orders"), topic.Resource);
        ConfigEntry retention = topic.Entries.Single(e => e.Name == "retention.ms");
        Assert.Equal("1000", retention.Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, retention.Source);
        Assert.False(retention.IsDefault);
        Assert.Equal("About retention.ms", retention.Documentation);
        Assert.Single(retention.Synonyms);
        ConfigEntry policy = topic.Entries.Single(e => e.Name == "cleanup.policy");
        Assert.True(policy.IsDefault);
        Assert.Equal(ConfigSource.DefaultConfig, policy.Source);

        Assert.Equal("168", results[1].Entries.Single(e => e.Name == "log.retention.hours").Value);

        var sent = fake.RequestsOf<DescribeConfigsRequest>();
        Assert.Equal(2, sent.Count);
        Assert.Contains(sent, s => s.BrokerId == 3 && s.Request.Resources.Single().ResourceName == "orders");
        Assert.Contains(sent, s => s.BrokerId == 2 && s.Request.Resources.Single().ResourceName == "2");
    }

    [Fact]
    public async Task A_missing_topic_fails_alone()
    {
        await using var fake = new FakeKafka(1);
        fake.AddTopic("here", 1);
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<AdminException<DescribeConfigsResult>>(() =>
            admin.DescribeConfigsAsync([ConfigResource.Topic("here"), ConfigResource.Topic("gone")], cancellationToken: Timeout()));
        Assert.Equal(ErrorCode.None, ex.Results[0].Error);
        Assert.NotEmpty(ex.Results[0].Entries);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, ex.Results[1].Error);
        Assert.Contains("does not exist", ex.Results[1].ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alters_entries_incrementally()
    {
        await using var fake = new FakeKafka(2) { ControllerId = 1 };
        FakeTopic topic = fake.AddTopic("t", 1);
        topic.Configs["retention.ms"] = "5";
        topic.Configs["leader.replication.throttled.replicas"] = "0:1";
        await using AdminClient admin = Client(fake);
        var ex = await Assert.ThrowsAsync<AdminException<AlterConfigsResult>>(() => admin.IncrementalAlterConfigsAsync(
        [
            new(ConfigResource.Topic("t"), [
                ConfigAlteration.Set("cleanup.policy", "compact"),
                ConfigAlteration.Delete("retention.ms"),
                new ConfigAlteration("leader.replication.throttled.replicas", AlterConfigOperation.Append, "1:2"),
            ]),
            new(ConfigResource.Broker(2), [ConfigAlteration.Set("log.retention.hours", "1")]),
            new(ConfigResource.Topic("missing"), [ConfigAlteration.Set("retention.ms", "1")]),
        ], cancellationToken: Timeout()));

        Assert.Equal([ErrorCode.None, ErrorCode.None, ErrorCode.UnknownTopicOrPartition], ex.Results.Select(r => r.Error));
        Assert.Equal("compact", topic.Configs["cleanup.policy"]);
        Assert.False(topic.Configs.ContainsKey("retention.ms"));
        Assert.Equal("0:1,1:2", topic.Configs["leader.replication.throttled.replicas"]);
        Assert.Equal("1", fake.BrokerConfigs(2)["log.retention.hours"]);
        Assert.Contains(fake.RequestsOf<IncrementalAlterConfigsRequest>(), s => s.BrokerId == 2 && s.Request.Resources.Single().ResourceType == (sbyte)ConfigResourceType.Broker);
    }

    [Fact]
    public async Task Validate_only_alters_nothing()
    {
        await using var fake = new FakeKafka(1);
        FakeTopic topic = fake.AddTopic("t", 1);
        await using AdminClient admin = Client(fake);
        await admin.IncrementalAlterConfigsAsync([new(ConfigResource.Topic("t"), [ConfigAlteration.Set("cleanup.policy", "compact")])],
            new AdminOptions { ValidateOnly = true }, Timeout());
        Assert.Empty(topic.Configs);
    }

    [Fact]
    public async Task Not_controller_is_retried_at_the_new_controller()
    {
        await using var fake = new FakeKafka(3);
        fake.AddTopic("t", 1);
        fake.InjectError(Samsa.Protocol.ApiKey.DescribeConfigs, ErrorCode.NotController);
        await using AdminClient admin = Client(fake);
        IReadOnlyList<DescribeConfigsResult> results = await admin.DescribeConfigsAsync([ConfigResource.Topic("t")], cancellationToken: Timeout());
        Assert.Equal(ErrorCode.None, results[0].Error);
        Assert.Equal(2, fake.RequestsOf<DescribeConfigsRequest>().Count);
    }

    [Fact]
    public async Task Bad_resources_are_rejected()
    {
        await using var fake = new FakeKafka(1);
        await using AdminClient admin = Client(fake);
        await Assert.ThrowsAsync<ArgumentException>(() => admin.DescribeConfigsAsync([new ConfigResource(ConfigResourceType.Broker, "one")]));
        await Assert.ThrowsAsync<ArgumentException>(() => admin.DescribeConfigsAsync([new ConfigResource(ConfigResourceType.Unknown, "x")]));
        await Assert.ThrowsAsync<ArgumentException>(() => admin.DescribeConfigsAsync([ConfigResource.Topic("")]));
    }
}
