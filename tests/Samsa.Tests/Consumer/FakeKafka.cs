using System.Collections.Concurrent;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Consumer;

/// <summary>
/// A small in-memory Kafka cluster on <see cref="FakeBroker"/>s for consumer tests: topics with real record
/// batches, leaders and epochs, Fetch (with optional KIP-227 sessions, preferred read replicas, long polls),
/// ListOffsets, FindCoordinator, OffsetCommit and OffsetFetch. <see cref="Intercept"/> can script any request.
/// </summary>
internal sealed partial class FakeKafka : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Topic, int Partition), FakePartitionLog> _logs = [];
    private readonly Dictionary<string, int> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Topic, int Partition), (long Offset, int Epoch)> _committed = [];

    public FakeKafka(int brokers = 1)
    {
        Brokers = new FakeBroker[brokers];
        for (int i = 0; i < brokers; i++)
        {
            int nodeId = i + 1;
            var broker = new FakeBroker(nodeId);
            broker.Handler = request => Handle(nodeId, request);
            Brokers[i] = broker;
        }
    }

    public FakeBroker[] Brokers { get; }

    public string BootstrapServers => string.Join(",", Brokers.Select(b => $"127.0.0.1:{b.Port}"));

    /// <summary>When true, brokers create fetch sessions; else they answer session id 0.</summary>
    public bool Sessions { get; set; }

    /// <summary>Called first for every request (with the broker's node id); a non-null reply is used as is.</summary>
    public Func<int, FakeRequest, FakeReply?>? Intercept { get; set; }

    /// <summary>KIP-392: the replica a leader names for a partition when the fetch carries this rack; null: none.</summary>
    public Func<string, int, string, int?>? PreferredReplica { get; set; }

    /// <summary>When true, ListOffsets by timestamp answers -1 (no offset), as librdkafka's mock cluster does.</summary>
    public bool NoTimestampLookup { get; set; }

    /// <summary>How long an empty fetch is held (the fake's long poll), at most the request's MaxWaitMs.</summary>
    public int LongPollMs { get; set; } = 50;

    /// <summary>Every Fetch received: the broker's node id and the request.</summary>
    public ConcurrentQueue<(int Node, FetchRequest Request)> Fetches { get; } = new();

    public ConcurrentQueue<OffsetCommitRequest> Commits { get; } = new();

    public void CreateTopic(string name, int partitions, Func<int, int>? leaderOf = null)
    {
        lock (_lock)
        {
            _topics[name] = partitions;
            for (int p = 0; p < partitions; p++)
            {
                _logs[(name, p)] = new FakePartitionLog { Leader = leaderOf?.Invoke(p) ?? Brokers[p % Brokers.Length].NodeId };
            }
        }
    }

    public FakePartitionLog Log(string topic, int partition)
    {
        lock (_lock)
        {
            return _logs[(topic, partition)];
        }
    }

    /// <summary>Runs <paramref name="change"/> on a partition log under the cluster lock (appends while fetches run).</summary>
    public void Change(string topic, int partition, Action<FakePartitionLog> change)
    {
        lock (_lock)
        {
            change(_logs[(topic, partition)]);
        }
    }

    public (long Offset, int Epoch)? CommittedOffset(string group, string topic, int partition)
    {
        lock (_lock)
        {
            return _committed.TryGetValue((group, topic, partition), out var v) ? v : null;
        }
    }

    public List<(int Node, FetchRequest Request)> FetchesTo(int node) => [.. Fetches.Where(f => f.Node == node)];

    private FakeReply? Handle(int nodeId, FakeRequest request)
    {
        FakeReply? scripted = Intercept?.Invoke(nodeId, request);
        if (scripted is not null)
        {
            return scripted;
        }

        lock (_lock)
        {
            return request.ApiKey switch
            {
                ApiKey.Metadata => new FakeReply.Message(Metadata((MetadataRequest)request.Message)),
                ApiKey.Fetch => Fetch(nodeId, (FetchRequest)request.Message, request.Version),
                ApiKey.ListOffsets => new FakeReply.Message(ListOffsets(nodeId, (ListOffsetsRequest)request.Message)),
                ApiKey.FindCoordinator => new FakeReply.Message(FindCoordinator((FindCoordinatorRequest)request.Message, request.Version)),
                ApiKey.OffsetCommit => new FakeReply.Message(OffsetCommit((OffsetCommitRequest)request.Message)),
                ApiKey.OffsetFetch => new FakeReply.Message(OffsetFetch((OffsetFetchRequest)request.Message, request.Version)),
                _ => null,
            };
        }
    }

    private MetadataResponse Metadata(MetadataRequest request)
    {
        var response = new MetadataResponse { ClusterId = "fake", ControllerId = Brokers[0].NodeId };
        foreach (FakeBroker b in Brokers)
        {
            response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = b.NodeId, Host = "127.0.0.1", Port = b.Port });
        }

        IEnumerable<string> names = request.Topics is null ? _topics.Keys : request.Topics.Select(t => t.Name!);
        foreach (string name in names)
        {
            var topic = new MetadataResponse.MetadataResponseTopic { Name = name, TopicId = Guid.NewGuid() };
            if (!_topics.TryGetValue(name, out int count))
            {
                topic.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            }
            else
            {
                for (int p = 0; p < count; p++)
                {
                    FakePartitionLog log = _logs[(name, p)];
                    topic.Partitions.Add(new MetadataResponse.MetadataResponsePartition
                    {
                        PartitionIndex = p, LeaderId = log.Leader, LeaderEpoch = log.LeaderEpoch,
                        ReplicaNodes = [.. Brokers.Select(b => b.NodeId)], IsrNodes = [.. Brokers.Select(b => b.NodeId)],
                    });
                }
            }

            response.Topics.Add(topic);
        }

        return response;
    }

    private ListOffsetsResponse ListOffsets(int nodeId, ListOffsetsRequest request)
    {
        var response = new ListOffsetsResponse();
        foreach (ListOffsetsRequest.ListOffsetsTopic t in request.Topics)
        {
            var topic = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = t.Name };
            foreach (ListOffsetsRequest.ListOffsetsPartition p in t.Partitions)
            {
                var answer = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = p.PartitionIndex, Offset = -1, Timestamp = -1 };
                if (!_logs.TryGetValue((t.Name, p.PartitionIndex), out FakePartitionLog? log))
                {
                    answer.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else if (log.Leader != nodeId)
                {
                    answer.ErrorCode = (short)ErrorCode.NotLeaderOrFollower;
                }
                else if (p.Timestamp == -2)
                {
                    answer.Offset = log.LogStart;
                }
                else if (p.Timestamp == -1)
                {
                    answer.Offset = request.IsolationLevel == 1 ? log.LastStable ?? log.HighWatermark : log.HighWatermark;
                }
                else if (NoTimestampLookup)
                {
                    // As librdkafka's mock cluster: -1 for every lookup by time.
                }
                else if (p.Timestamp == -3)
                {
                    (answer.Offset, answer.Timestamp) = log.Newest();
                }
                else
                {
                    (answer.Offset, answer.Timestamp) = log.OffsetForTime(p.Timestamp);
                }

                answer.LeaderEpoch = log?.LeaderEpoch ?? -1;
                topic.Partitions.Add(answer);
            }

            response.Topics.Add(topic);
        }

        return response;
    }

    private FindCoordinatorResponse FindCoordinator(FindCoordinatorRequest request, short version)
    {
        FakeBroker c = Brokers[0];
        var response = new FindCoordinatorResponse { NodeId = c.NodeId, Host = "127.0.0.1", Port = c.Port };
        if (version >= 4)
        {
            foreach (string key in request.CoordinatorKeys)
            {
                response.Coordinators.Add(new FindCoordinatorResponse.Coordinator { Key = key, NodeId = c.NodeId, Host = "127.0.0.1", Port = c.Port });
            }
        }

        return response;
    }

    private OffsetCommitResponse OffsetCommit(OffsetCommitRequest request)
    {
        Commits.Enqueue(request);
        var response = new OffsetCommitResponse();
        foreach (OffsetCommitRequest.OffsetCommitRequestTopic t in request.Topics)
        {
            var topic = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = t.Name };
            foreach (OffsetCommitRequest.OffsetCommitRequestPartition p in t.Partitions)
            {
                _committed[(request.GroupId, t.Name, p.PartitionIndex)] = (p.CommittedOffset, p.CommittedLeaderEpoch);
                topic.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex });
            }

            response.Topics.Add(topic);
        }

        return response;
    }

    private OffsetFetchResponse OffsetFetch(OffsetFetchRequest request, short version)
    {
        var response = new OffsetFetchResponse();
        if (version >= 8)
        {
            foreach (OffsetFetchRequest.OffsetFetchRequestGroup g in request.Groups)
            {
                var group = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = g.GroupId };
                foreach (OffsetFetchRequest.OffsetFetchRequestTopics t in g.Topics ?? [])
                {
                    var topic = new OffsetFetchResponse.OffsetFetchResponseTopics { Name = t.Name };
                    foreach (int p in t.PartitionIndexes)
                    {
                        var (offset, epoch) = _committed.TryGetValue((g.GroupId, t.Name, p), out var v) ? v : (-1L, -1);
                        topic.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartitions { PartitionIndex = p, CommittedOffset = offset, CommittedLeaderEpoch = epoch });
                    }

                    group.Topics.Add(topic);
                }

                response.Groups.Add(group);
            }

            return response;
        }

        foreach (OffsetFetchRequest.OffsetFetchRequestTopic t in request.Topics ?? [])
        {
            var topic = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = t.Name };
            foreach (int p in t.PartitionIndexes)
            {
                var (offset, epoch) = _committed.TryGetValue((request.GroupId, t.Name, p), out var v) ? v : (-1L, -1);
                topic.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition { PartitionIndex = p, CommittedOffset = offset, CommittedLeaderEpoch = epoch });
            }

            response.Topics.Add(topic);
        }

        return response;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (FakeBroker b in Brokers)
        {
            await b.DisposeAsync();
        }
    }
}
