using System.Diagnostics;
using Samsa.Cluster;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;
using CoordinatorType = Samsa.Cluster.CoordinatorType;

namespace Samsa.Tests.Cluster;

public sealed class KafkaClusterTests
{
    private static MetadataResponse Metadata(FakeBroker[] brokers, string topic, int partitions, int leaderEpoch = 0)
    {
        var response = new MetadataResponse { ClusterId = "fake-cluster", ControllerId = brokers[0].NodeId };
        foreach (FakeBroker b in brokers)
        {
            response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = b.NodeId, Host = "127.0.0.1", Port = b.Port });
        }

        var t = new MetadataResponse.MetadataResponseTopic { Name = topic, TopicId = Guid.NewGuid() };
        for (int p = 0; p < partitions; p++)
        {
            int leader = brokers[p % brokers.Length].NodeId;
            t.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = p, LeaderId = leader, LeaderEpoch = leaderEpoch, ReplicaNodes = [leader], IsrNodes = [leader],
            });
        }

        response.Topics.Add(t);
        return response;
    }

    [Fact]
    public async Task LearnsBrokersAndTopicsAndConnectsToEachBrokerByNodeId()
    {
        FakeBroker[] brokers = [new FakeBroker(1), new FakeBroker(2), new FakeBroker(3)];
        try
        {
            foreach (FakeBroker b in brokers)
            {
                b.Handler = r => r.ApiKey == ApiKey.Metadata ? new FakeReply.Message(Metadata(brokers, "orders", 6)) : null;
            }

            await using var cluster = new KafkaCluster(new ClusterOptions { BootstrapServers = [brokers[1].Address] });
            TopicInfo topic = await cluster.WaitForTopicAsync("orders", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Assert.Equal(6, topic.PartitionCount);
            Assert.Equal("fake-cluster", cluster.Metadata.ClusterId);
            Assert.Equal(3, cluster.Metadata.Brokers.Count);
            Assert.Equal(2, cluster.Metadata.LeaderOf("orders", 4));

            foreach (FakeBroker b in brokers)
            {
                KafkaConnection c = await cluster.GetConnectionAsync(b.NodeId, CancellationToken.None);
                Assert.Equal(b.Port, c.Address.Port);
                Assert.Same(c, await cluster.GetConnectionAsync(b.NodeId, CancellationToken.None));
            }

            // The first metadata request went to the bootstrap broker and asked for the topic by name.
            FakeRequest first = brokers[1].Received.First(r => r.ApiKey == ApiKey.Metadata && ((MetadataRequest)r.Message).Topics!.Count > 0);
            Assert.Equal("orders", ((MetadataRequest)first.Message).Topics![0].Name);
        }
        finally
        {
            foreach (FakeBroker b in brokers)
            {
                await b.DisposeAsync();
            }
        }
    }

    [Fact]
    public void AnOlderLeaderEpochDoesNotReplaceANewerOne()
    {
        FakeBroker[] none = [];
        var fresh = new MetadataResponse
        {
            Brokers = { new MetadataResponse.MetadataResponseBroker { NodeId = 1, Host = "h", Port = 1 } },
            Topics =
            {
                new MetadataResponse.MetadataResponseTopic
                {
                    Name = "t",
                    Partitions = { new MetadataResponse.MetadataResponsePartition { PartitionIndex = 0, LeaderId = 2, LeaderEpoch = 7 } },
                },
            },
        };
        ClusterMetadata first = MetadataSnapshotBuilder.Build(ClusterMetadata.Empty, fresh, coversAllTopics: false);
        fresh.Topics[0].Partitions[0].LeaderId = 1;
        fresh.Topics[0].Partitions[0].LeaderEpoch = 5;
        ClusterMetadata stale = MetadataSnapshotBuilder.Build(first, fresh, coversAllTopics: false);
        Assert.Equal(2, stale.LeaderOf("t", 0));
        Assert.Equal(7, stale.Topic("t")!.Partitions[0].LeaderEpoch);

        fresh.Topics[0].Partitions[0].LeaderEpoch = 8;
        ClusterMetadata newer = MetadataSnapshotBuilder.Build(stale, fresh, coversAllTopics: false);
        Assert.Equal(1, newer.LeaderOf("t", 0));
        _ = none;
    }

    [Fact]
    public async Task ReconnectAttemptsBackOffExponentially()
    {
        int port;
        await using (var gone = new FakeBroker())
        {
            port = gone.Port;
        }

        var options = new ClusterOptions
        {
            BootstrapServers = [new BrokerAddress("127.0.0.1", port)],
            ReconnectBackoff = TimeSpan.FromMilliseconds(200),
            ReconnectBackoffMax = TimeSpan.FromSeconds(2),
        };
        await using var connections = new BrokerConnections(options);
        var address = new BrokerAddress("127.0.0.1", port);
        var ex = await Assert.ThrowsAsync<KafkaException>(async () => await connections.GetAsync(7, address, ConnectionPurpose.Default, CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.False(connections.IsReachableNow(7));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<KafkaException>(async () => await connections.GetAsync(7, address, ConnectionPurpose.Default, CancellationToken.None));
        Assert.True(watch.ElapsedMilliseconds >= 150, $"second attempt after {watch.ElapsedMilliseconds} ms");
        watch.Restart();
        await Assert.ThrowsAsync<KafkaException>(async () => await connections.GetAsync(7, address, ConnectionPurpose.Default, CancellationToken.None));
        Assert.True(watch.ElapsedMilliseconds >= 300, $"third attempt after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task FindsAndCachesTheGroupCoordinator()
    {
        await using var broker = new FakeBroker(5);
        broker.Handler = r => r.ApiKey switch
        {
            ApiKey.Metadata => new FakeReply.Message(Metadata([broker], "t", 1)),
            ApiKey.FindCoordinator => new FakeReply.Message(new FindCoordinatorResponse
            {
                Coordinators = { new FindCoordinatorResponse.Coordinator { Key = "g1", NodeId = 5, Host = "127.0.0.1", Port = broker.Port } },
            }),
            _ => null,
        };
        await using var cluster = new KafkaCluster(new ClusterOptions { BootstrapServers = [broker.Address] });
        BrokerNode node = await cluster.FindCoordinatorAsync(CoordinatorType.Group, "g1", CancellationToken.None);
        Assert.Equal(5, node.NodeId);
        await cluster.FindCoordinatorAsync(CoordinatorType.Group, "g1", CancellationToken.None);
        Assert.Single(broker.Received, r => r.ApiKey == ApiKey.FindCoordinator);
        var request = (FindCoordinatorRequest)broker.Received.Single(r => r.ApiKey == ApiKey.FindCoordinator).Message;
        Assert.Equal(["g1"], request.CoordinatorKeys);

        cluster.InvalidateCoordinator(CoordinatorType.Group, "g1");
        await cluster.FindCoordinatorAsync(CoordinatorType.Group, "g1", CancellationToken.None);
        Assert.Equal(2, broker.Received.Count(r => r.ApiKey == ApiKey.FindCoordinator));
    }

    [Fact]
    public async Task A_metadata_subscriber_that_throws_does_not_stop_metadata_refreshes()
    {
        var broker = new FakeBroker(1);
        try
        {
            int partitions = 2;
            broker.Handler = r => r.ApiKey == ApiKey.Metadata ? new FakeReply.Message(Metadata([broker], "t", Volatile.Read(ref partitions))) : null;
            await using var cluster = new KafkaCluster(new ClusterOptions { BootstrapServers = [broker.Address], RetryBackoff = TimeSpan.FromMilliseconds(10) });
            int calls = 0;
            cluster.MetadataUpdated += _ =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw new InvalidOperationException("a subscriber's bug");
                }
            };

            // The refresh whose subscriber threw still completes, and later refreshes still happen.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(2, (await cluster.WaitForTopicAsync("t", timeout.Token)).PartitionCount);
            Volatile.Write(ref partitions, 5);
            await cluster.RefreshAsync(timeout.Token);
            Assert.Equal(5, cluster.Metadata.Topic("t")!.PartitionCount);
            Assert.True(Volatile.Read(ref calls) >= 2);
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }
}
