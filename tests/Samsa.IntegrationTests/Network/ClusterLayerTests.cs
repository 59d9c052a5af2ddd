using Samsa.Cluster;
using Samsa.IntegrationTests.Cluster;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Network;

/// <summary>The client's own network and cluster layers against the test cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterLayerTests(ClusterFixture fixture)
{
    [SkippableFact]
    public async Task Connects_negotiates_versions_and_reads_metadata()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions: 5);
        var log = new ConsoleTestLoggerFactory().CreateLogger("test");
        await using var cluster = new KafkaCluster(new ClusterOptions { BootstrapServers = BrokerAddress.ParseList(fixture.BootstrapServers), Logger = log, Connection = new ConnectionOptions { Logger = log } });
        cluster.AddTopic(topic);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        TopicInfo info = await cluster.WaitForTopicAsync(topic, cts.Token);
        Assert.Equal(ErrorCode.None, info.Error);
        Assert.Equal(5, info.PartitionCount);
        if (!fixture.IsExternal)
        {
            Assert.Equal(fixture.Cluster.BrokerCount, cluster.Metadata.Brokers.Count);
        }

        foreach (BrokerNode broker in cluster.Metadata.Brokers.Values)
        {
            KafkaConnection connection = await cluster.GetConnectionAsync(broker.NodeId, cts.Token);
            Assert.True(connection.ApiVersions.Supports(ApiKey.Produce));
            Assert.True(connection.ApiVersions.Supports(ApiKey.Fetch));
            if (!fixture.IsExternal)
            {
                // The fixture caps what the mock implements wrongly; negotiation must land inside the caps.
                Assert.True(connection.ApiVersions.Negotiated(ApiKey.JoinGroup) <= 5);
                Assert.True(connection.ApiVersions.Negotiated(ApiKey.ApiVersions) <= 2);
            }
        }
    }
}
