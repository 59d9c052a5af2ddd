using System.Diagnostics;
using System.Net.Sockets;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Cluster;

/// <summary>
/// Validates the embedded cluster through raw protocol requests (generated messages over a plain socket), so
/// that the fixture is known good before any client code relies on it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MockClusterTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [SkippableFact]
    public async Task Metadata_lists_every_broker_and_the_created_topic_partitions()
    {
        string topic = UniqueNames.Topic();
        await Cluster.CreateTopicAsync(topic, partitions: 5, replicationFactor: 2);

        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(1));
        var request = new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = topic }] };
        MetadataResponse response = await wire.SendAsync<MetadataRequest, MetadataResponse>(request, 12);

        Assert.InRange(wire.LastTrailingBytes, 0, 1); // the mock's doubled tagged-field byte, see KafkaWireClient
        Assert.Equal([1, 2, 3], response.Brokers.Select(b => b.NodeId).Order());
        foreach (MetadataResponse.MetadataResponseBroker b in response.Brokers)
        {
            Assert.Equal(Cluster.BrokerAddress(b.NodeId), $"{b.Host}:{b.Port}");
        }

        MetadataResponse.MetadataResponseTopic t = Assert.Single(response.Topics);
        Assert.Equal(topic, t.Name);
        Assert.Equal(0, t.ErrorCode);
        Assert.Equal([0, 1, 2, 3, 4], t.Partitions.Select(p => p.PartitionIndex).Order());
        foreach (MetadataResponse.MetadataResponsePartition p in t.Partitions)
        {
            Assert.Equal(0, p.ErrorCode);
            Assert.InRange(p.LeaderId, 1, 3);
            Assert.Equal(2, p.ReplicaNodes.Count);
            Assert.Contains(p.LeaderId, p.ReplicaNodes);
        }
    }

    [SkippableFact]
    public async Task Leader_change_shows_in_metadata()
    {
        string topic = UniqueNames.Topic();
        await Cluster.CreateTopicAsync(topic, partitions: 2, replicationFactor: 3);
        await Cluster.SetLeaderAsync(topic, 1, 3);

        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(2));
        var request = new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = topic }] };
        MetadataResponse response = await wire.SendAsync<MetadataRequest, MetadataResponse>(request, 12);

        Assert.Equal(3, Assert.Single(response.Topics).Partitions.Single(p => p.PartitionIndex == 1).LeaderId);
    }

    [SkippableFact]
    public async Task Broker_down_closes_its_connections_and_refuses_new_ones_until_it_is_up_again()
    {
        string address = Cluster.BrokerAddress(2);
        await using KafkaWireClient before = await KafkaWireClient.ConnectAsync(address);
        await before.SendAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), 0);

        await Cluster.BrokerDownAsync(2);
        try
        {
            var refused = await Assert.ThrowsAsync<SocketException>(() => KafkaWireClient.ConnectAsync(address));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            // The open connection was closed by the broker: the next exchange fails.
            await Assert.ThrowsAnyAsync<IOException>(
                () => before.SendAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), 0));
        }
        finally
        {
            await Cluster.BrokerUpAsync(2);
        }

        await using KafkaWireClient after = await KafkaWireClient.ConnectAsync(address);
        ApiVersionsResponse response = await after.SendAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), 0);
        Assert.Equal(0, response.ErrorCode);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ApiVersions_advertises_the_capped_group_versions_and_no_telemetry(short version)
    {
        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(3));
        ApiVersionsResponse response = await wire.SendAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), version);

        Assert.Equal(0, response.ErrorCode);
        Dictionary<ApiKey, (short Min, short Max)> apis = response.ApiKeys.ToDictionary(a => (ApiKey)a.ApiKey, a => (a.MinVersion, a.MaxVersion));
        Assert.Equal(5, apis[ApiKey.JoinGroup].Max);
        Assert.Equal(3, apis[ApiKey.SyncGroup].Max);
        Assert.Equal(2, apis[ApiKey.LeaveGroup].Max);
        Assert.Equal(2, apis[ApiKey.ApiVersions].Max);
        Assert.DoesNotContain(ApiKey.GetTelemetrySubscriptions, apis.Keys);
        Assert.DoesNotContain(ApiKey.PushTelemetry, apis.Keys);
        // The rest is untouched: the data path APIs are still there.
        Assert.True(apis[ApiKey.Produce].Max >= 7);
        Assert.True(apis[ApiKey.Fetch].Max >= 11);
        Assert.True(apis[ApiKey.Metadata].Max >= 12);
    }

    [SkippableFact]
    public async Task A_disabled_api_is_not_served_the_mock_closes_the_connection()
    {
        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(1));

        await Assert.ThrowsAnyAsync<IOException>(() =>
            wire.SendAsync<GetTelemetrySubscriptionsRequest, GetTelemetrySubscriptionsResponse>(new GetTelemetrySubscriptionsRequest(), 0));
    }

    // InitProducerId (idempotent: no transactional id) carries its error at the top level and succeeds on the mock
    // once the injected errors are used up. (FindCoordinator is no good here: on errors the mock writes a null
    // Host, which the protocol does not allow.)
    private static readonly InitProducerIdRequest IdempotentInit = new() { TransactionalId = null, TransactionTimeoutMs = -1 };

    [SkippableFact]
    public async Task Pushed_request_errors_are_returned_in_order_then_requests_succeed()
    {
        await Cluster.PushRequestErrorsAsync(ApiKey.InitProducerId, ErrorCode.CoordinatorLoadInProgress, ErrorCode.NotEnoughReplicas);

        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(1));
        var errors = new List<ErrorCode>();
        InitProducerIdResponse last = new();
        for (int i = 0; i < 3; i++)
        {
            last = await wire.SendAsync<InitProducerIdRequest, InitProducerIdResponse>(IdempotentInit, 1);
            errors.Add((ErrorCode)last.ErrorCode);
        }

        Assert.Equal([ErrorCode.CoordinatorLoadInProgress, ErrorCode.NotEnoughReplicas, ErrorCode.None], errors);
        Assert.True(last.ProducerId >= 0);
    }

    [SkippableFact]
    public async Task Broker_error_with_rtt_delays_that_brokers_response()
    {
        await Cluster.PushBrokerErrorRttsAsync(2, ApiKey.InitProducerId, new ErrorRtt(ErrorCode.NotCoordinator, 400));
        Assert.Equal(1, await Cluster.BrokerErrorCountAsync(2, ApiKey.InitProducerId));

        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(2));
        var watch = Stopwatch.StartNew();
        InitProducerIdResponse delayed = await wire.SendAsync<InitProducerIdRequest, InitProducerIdResponse>(IdempotentInit, 1);
        TimeSpan elapsed = watch.Elapsed;
        watch.Restart();
        InitProducerIdResponse next = await wire.SendAsync<InitProducerIdRequest, InitProducerIdResponse>(IdempotentInit, 1);
        TimeSpan nextElapsed = watch.Elapsed;

        Assert.Equal(ErrorCode.NotCoordinator, (ErrorCode)delayed.ErrorCode);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(350), $"the response came after {elapsed.TotalMilliseconds} ms");
        Assert.Equal(ErrorCode.None, (ErrorCode)next.ErrorCode);
        Assert.True(nextElapsed < elapsed, "only the injected response is delayed");
        Assert.Equal(0, await Cluster.BrokerErrorCountAsync(2, ApiKey.InitProducerId));
    }

    [SkippableFact]
    public async Task Coordinator_placement_is_reported_by_FindCoordinator()
    {
        string group = UniqueNames.Group();
        await Cluster.SetCoordinatorAsync(CoordinatorType.Group, group, 3);

        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(1));
        FindCoordinatorResponse r = await wire.SendAsync<FindCoordinatorRequest, FindCoordinatorResponse>(
            new FindCoordinatorRequest { Key = group, KeyType = 0 }, 2);

        Assert.Equal(0, r.ErrorCode);
        Assert.Equal(3, r.NodeId);
        Assert.Equal(Cluster.BrokerAddress(3), $"{r.Host}:{r.Port}");
    }

    [SkippableFact]
    public async Task Request_tracking_records_broker_api_and_order()
    {
        await Cluster.StartRequestTrackingAsync();
        try
        {
            await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(2));
            await wire.SendAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest(), 2);
            await wire.SendAsync<MetadataRequest, MetadataResponse>(new MetadataRequest { Topics = [] }, 9);

            IReadOnlyList<TrackedRequest> requests = await Cluster.GetTrackedRequestsAsync();
            // Only this test talks to the cluster now (the collection runs its tests one at a time).
            Assert.Equal(
                [(2, ApiKey.ApiVersions), (2, ApiKey.Metadata)],
                requests.Select(r => (r.BrokerId, r.ApiKey)));
            Assert.True(requests[1].TimestampMicros >= requests[0].TimestampMicros);

            await Cluster.ClearTrackedRequestsAsync();
            Assert.Empty(await Cluster.GetTrackedRequestsAsync());
        }
        finally
        {
            await Cluster.StopRequestTrackingAsync();
        }
    }

    [SkippableFact]
    public async Task Advertised_host_and_port_change_what_metadata_reports()
    {
        await Cluster.SetHostPortAsync(3, "proxy.invalid", 19093);
        try
        {
            await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(Cluster.BrokerAddress(1));
            MetadataResponse r = await wire.SendAsync<MetadataRequest, MetadataResponse>(new MetadataRequest { Topics = [] }, 12);
            MetadataResponse.MetadataResponseBroker b3 = r.Brokers.Single(b => b.NodeId == 3);
            Assert.Equal(("proxy.invalid", 19093), (b3.Host, b3.Port));
        }
        finally
        {
            string original = Cluster.BrokerAddress(3);
            await Cluster.SetHostPortAsync(3, HostProcessTests.Host(original), HostProcessTests.Port(original));
        }
    }

    [SkippableFact]
    public async Task Mock_errors_come_back_as_command_exceptions_with_librdkafka_names()
    {
        string topic = UniqueNames.Topic();
        await Cluster.CreateTopicAsync(topic, 1);

        var e = await Assert.ThrowsAsync<TestClusterCommandException>(() => Cluster.CreateTopicAsync(topic, 1));
        Assert.Equal("TOPIC_ALREADY_EXISTS: Broker: Topic already exists", e.HostMessage);
    }
}
