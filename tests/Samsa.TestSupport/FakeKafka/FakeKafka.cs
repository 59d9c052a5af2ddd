using System.Collections.Concurrent;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport;

/// <summary>
/// A small stateful Kafka cluster made of <see cref="FakeBroker"/>s: topics with partitions, leaders and logs,
/// configurations, groups with members and committed offsets. It answers the admin APIs the test cluster lacks
/// (CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs, IncrementalAlterConfigs, ListGroups,
/// DescribeGroups, DeleteGroups, DescribeCluster) and the group and partition APIs around them, and enforces
/// routing as a real cluster does: controller-only APIs answer NOT_CONTROLLER elsewhere, group APIs
/// NOT_COORDINATOR away from the coordinator, partition APIs NOT_LEADER_OR_FOLLOWER away from the leader.
/// Every request is recorded with the broker that received it.
/// </summary>
public sealed partial class FakeKafka : IAsyncDisposable
{
    private readonly FakeBroker[] _brokers;
    private readonly ConcurrentQueue<(int BrokerId, FakeRequest Request)> _requests = new();
    private readonly Dictionary<ApiKey, Queue<ErrorCode>> _injected = [];
    private readonly Dictionary<string, FakeTopic> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _coordinators = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Dictionary<string, string>> _brokerConfigs = [];

    public FakeKafka(int brokers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        _brokers = new FakeBroker[brokers];
        for (int i = 0; i < brokers; i++)
        {
            var broker = new FakeBroker(i + 1);
            _brokers[i] = broker;
            _brokerConfigs[broker.NodeId] = new Dictionary<string, string>(StringComparer.Ordinal) { ["log.retention.hours"] = "168" };
            broker.Handler = request => Handle(broker, request);
        }
    }

    /// <summary>Guards all state; tests that change state while clients run take it too.</summary>
    public Lock Gate { get; } = new();

    public IReadOnlyList<FakeBroker> Brokers => _brokers;

    public string BootstrapServers => string.Join(",", _brokers.Select(b => b.Address.ToString()));

    public string ClusterId { get; set; } = "fake-cluster-id";

    public int ControllerId { get; set; } = 1;

    /// <summary>
    /// APIs left out of ApiVersions (a request for one closes the connection, as the test cluster does). The
    /// telemetry APIs start out here: librdkafka would otherwise ask for a subscription the fake cannot give.
    /// </summary>
    public HashSet<ApiKey> Unsupported { get; } = [ApiKey.GetTelemetrySubscriptions, ApiKey.PushTelemetry];

    /// <summary>Highest version advertised per API (for comparing encodings at one version).</summary>
    public Dictionary<ApiKey, short> MaxVersions { get; } = [];

    /// <summary>Runs before the built-in handling; a non-null reply replaces it.</summary>
    public Func<int, FakeRequest, FakeReply?>? Intercept { get; set; }

    /// <summary>Every request received (ApiVersions included), with the id of the broker that got it.</summary>
    public IReadOnlyList<(int BrokerId, FakeRequest Request)> Requests => [.. _requests];

    public IReadOnlyList<(int BrokerId, TRequest Request)> RequestsOf<TRequest>()
        where TRequest : class, IKafkaMessage
    {
        var list = new List<(int, TRequest)>();
        foreach (var (broker, request) in _requests)
        {
            if (request.Message is TRequest r)
            {
                list.Add((broker, r));
            }
        }

        return list;
    }

    public void ClearRequests() => _requests.Clear();

    /// <summary>Makes the next <paramref name="count"/> requests of an API fail with <paramref name="error"/> in every item.</summary>
    public void InjectError(ApiKey apiKey, ErrorCode error, int count = 1)
    {
        lock (Gate)
        {
            if (!_injected.TryGetValue(apiKey, out Queue<ErrorCode>? queue))
            {
                _injected[apiKey] = queue = new Queue<ErrorCode>();
            }

            for (int i = 0; i < count; i++)
            {
                queue.Enqueue(error);
            }
        }
    }

    public FakeTopic AddTopic(string name, int partitions, int replicationFactor = 1)
    {
        lock (Gate)
        {
            FakeTopic topic = NewTopic(name, partitions, Math.Min(replicationFactor, _brokers.Length), null);
            _topics[name] = topic;
            return topic;
        }
    }

    public FakeTopic? Topic(string name)
    {
        lock (Gate)
        {
            return _topics.GetValueOrDefault(name);
        }
    }

    public FakeGroup AddGroup(string groupId, int? coordinator = null)
    {
        lock (Gate)
        {
            var group = new FakeGroup { Id = groupId };
            _groups[groupId] = group;
            if (coordinator is { } c)
            {
                _coordinators[groupId] = c;
            }

            return group;
        }
    }

    public FakeGroup? Group(string groupId)
    {
        lock (Gate)
        {
            return _groups.GetValueOrDefault(groupId);
        }
    }

    /// <summary>The broker that coordinates a group (set, or derived from the id).</summary>
    public int CoordinatorOf(string groupId)
    {
        lock (Gate)
        {
            return _coordinators.TryGetValue(groupId, out int id) ? id : 1 + (int)((uint)StableHash(groupId) % (uint)_brokers.Length);
        }
    }

    public void SetCoordinator(string groupId, int brokerId)
    {
        lock (Gate)
        {
            _coordinators[groupId] = brokerId;
        }
    }

    public Dictionary<string, string> BrokerConfigs(int brokerId) => _brokerConfigs[brokerId];

    public async ValueTask DisposeAsync()
    {
        foreach (FakeBroker broker in _brokers)
        {
            await broker.DisposeAsync();
        }
    }

    private FakeReply? Handle(FakeBroker broker, FakeRequest request)
    {
        _requests.Enqueue((broker.NodeId, request));
        if (Intercept?.Invoke(broker.NodeId, request) is { } intercepted)
        {
            return intercepted;
        }

        if (Unsupported.Contains(request.ApiKey))
        {
            return new FakeReply.Close();
        }

        lock (Gate)
        {
            IKafkaMessage? body = request.Message switch
            {
                ApiVersionsRequest => ApiVersions(broker),
                MetadataRequest m => Metadata(m),
                DescribeClusterRequest d => DescribeCluster(d),
                CreateTopicsRequest c => CreateTopics(broker.NodeId, c, request.Version),
                DeleteTopicsRequest d => DeleteTopics(broker.NodeId, d, request.Version),
                CreatePartitionsRequest c => CreatePartitions(broker.NodeId, c),
                DescribeConfigsRequest d => DescribeConfigs(broker.NodeId, d, request.Version),
                IncrementalAlterConfigsRequest a => IncrementalAlterConfigs(broker.NodeId, a),
                FindCoordinatorRequest f => FindCoordinator(f, request.Version),
                ListGroupsRequest l => ListGroups(broker.NodeId, l),
                DescribeGroupsRequest d => DescribeGroups(broker.NodeId, d),
                DeleteGroupsRequest d => DeleteGroups(broker.NodeId, d),
                OffsetFetchRequest o => OffsetFetch(broker.NodeId, o, request.Version),
                OffsetCommitRequest o => OffsetCommit(broker.NodeId, o),
                OffsetDeleteRequest o => OffsetDelete(broker.NodeId, o),
                ListOffsetsRequest l => ListOffsets(broker.NodeId, l),
                DeleteRecordsRequest d => DeleteRecords(broker.NodeId, d),
                _ => null,
            };
            return body is null ? new FakeReply.Close() : new FakeReply.Message(body);
        }
    }

    private ErrorCode TakeInjected(ApiKey key) =>
        _injected.TryGetValue(key, out Queue<ErrorCode>? queue) && queue.TryDequeue(out ErrorCode error) ? error : ErrorCode.None;

    private ApiVersionsResponse ApiVersions(FakeBroker broker)
    {
        ApiVersionsResponse response = broker.DefaultApiVersions();
        response.ApiKeys.RemoveAll(k => Unsupported.Contains((ApiKey)k.ApiKey));
        foreach (ApiVersionsResponse.ApiVersion k in response.ApiKeys)
        {
            if (MaxVersions.TryGetValue((ApiKey)k.ApiKey, out short max))
            {
                k.MaxVersion = Math.Min(k.MaxVersion, max);
            }
        }

        return response;
    }

    private MetadataResponse Metadata(MetadataRequest request)
    {
        var response = new MetadataResponse { ClusterId = ClusterId, ControllerId = ControllerId };
        AddBrokers(response);
        IEnumerable<string> names = request.Topics is null ? _topics.Keys.Order(StringComparer.Ordinal) : request.Topics.Select(t => t.Name ?? "");
        foreach (string name in names)
        {
            if (!_topics.TryGetValue(name, out FakeTopic? topic))
            {
                response.Topics.Add(new MetadataResponse.MetadataResponseTopic { Name = name, ErrorCode = (short)ErrorCode.UnknownTopicOrPartition });
                continue;
            }

            var t = new MetadataResponse.MetadataResponseTopic { Name = name, TopicId = topic.Id };
            foreach (FakePartition p in topic.Partitions)
            {
                t.Partitions.Add(new MetadataResponse.MetadataResponsePartition
                {
                    PartitionIndex = p.Index,
                    LeaderId = p.Leader,
                    LeaderEpoch = p.LeaderEpoch,
                    ReplicaNodes = [.. p.Replicas],
                    IsrNodes = [.. p.Replicas],
                });
            }

            response.Topics.Add(t);
        }

        return response;
    }

    private void AddBrokers(MetadataResponse response)
    {
        foreach (FakeBroker b in _brokers)
        {
            response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = b.NodeId, Host = b.Address.Host, Port = b.Port });
        }
    }

    private DescribeClusterResponse DescribeCluster(DescribeClusterRequest request)
    {
        var response = new DescribeClusterResponse { ClusterId = ClusterId, ControllerId = ControllerId, EndpointType = request.EndpointType };
        foreach (FakeBroker b in _brokers)
        {
            response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker { BrokerId = b.NodeId, Host = b.Address.Host, Port = b.Port, Rack = "rack-" + b.NodeId });
        }

        return response;
    }

    private FakeTopic NewTopic(string name, int partitions, int replicationFactor, IReadOnlyList<List<int>>? assignment)
    {
        var topic = new FakeTopic { Name = name };
        int count = assignment?.Count ?? partitions;
        for (int p = 0; p < count; p++)
        {
            List<int> replicas = assignment?[p] ?? [.. Enumerable.Range(0, replicationFactor).Select(r => 1 + ((p + r) % _brokers.Length))];
            topic.Partitions.Add(new FakePartition { Index = p, Leader = replicas[0], Replicas = replicas });
        }

        return topic;
    }

    private static int StableHash(string text)
    {
        int hash = 17;
        foreach (char c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
