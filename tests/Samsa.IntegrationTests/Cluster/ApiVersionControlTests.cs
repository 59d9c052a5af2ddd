using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Cluster;

/// <summary>
/// rd_kafka_mock_set_apiversion: the range a broker advertises is also the range it serves, and MaxVersion -1
/// removes the API from ApiVersions (the mock skips entries whose MaxVersion is -1) and makes every request for
/// it fail the version check, which closes the connection. Own cluster: these change cluster-wide state.
/// </summary>
public sealed class ApiVersionControlTests
{
    [Fact]
    public async Task Narrowed_range_is_advertised_and_requests_outside_it_close_the_connection()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(brokers: 1);
        await cluster.SetApiVersionAsync(ApiKey.Metadata, 1, 4);

        await using (KafkaWireClient wire = await KafkaWireClient.ConnectAsync(cluster.BrokerAddress(1)))
        {
            ApiVersionsResponse versions = await wire.SendAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), 2);
            ApiVersionsResponse.ApiVersion metadata = versions.ApiKeys.Single(a => a.ApiKey == (short)ApiKey.Metadata);
            Assert.Equal((1, 4), (metadata.MinVersion, metadata.MaxVersion));

            MetadataResponse ok = await wire.SendAsync<MetadataRequest, MetadataResponse>(new MetadataRequest { Topics = [] }, 4);
            Assert.Single(ok.Brokers);
        }

        await using (KafkaWireClient wire = await KafkaWireClient.ConnectAsync(cluster.BrokerAddress(1)))
        {
            await Assert.ThrowsAnyAsync<IOException>(
                () => wire.SendAsync<MetadataRequest, MetadataResponse>(new MetadataRequest { Topics = [] }, 9));
        }
    }

    [Fact]
    public async Task Minus_one_removes_the_api_from_ApiVersions()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(brokers: 1);
        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(cluster.BrokerAddress(1));
        ApiVersionsResponse before = await wire.SendAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), 2);

        await cluster.SetApiVersionAsync(ApiKey.Heartbeat, -1, -1);
        ApiVersionsResponse after = await wire.SendAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), 2);

        Assert.Contains(before.ApiKeys, a => a.ApiKey == (short)ApiKey.Heartbeat);
        Assert.DoesNotContain(after.ApiKeys, a => a.ApiKey == (short)ApiKey.Heartbeat);
        Assert.Equal(before.ApiKeys.Count - 1, after.ApiKeys.Count);
    }

    [Fact]
    public async Task An_invalid_range_is_refused_by_the_host()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(brokers: 1);

        var e = await Assert.ThrowsAsync<TestClusterCommandException>(() => cluster.SetApiVersionAsync(ApiKey.Fetch, 5, 2));
        Assert.Contains("invalid", e.HostMessage, StringComparison.Ordinal);
    }
}
