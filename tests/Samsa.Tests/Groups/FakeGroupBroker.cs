using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Groups;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Groups;

/// <summary>
/// A one-broker fake cluster that answers Metadata and FindCoordinator itself and lets a test script the group
/// APIs. By default it plays a one-member classic group (the member is its own leader, SyncGroup hands back
/// what the leader assigned), answers heartbeats, LeaveGroup, OffsetCommit and OffsetFetch.
/// </summary>
internal sealed class FakeGroupBroker : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (Guid Id, int Partitions)> _topics = new();
    private readonly ConcurrentDictionary<TopicPartition, long> _committed = new();
    private readonly ConcurrentQueue<ErrorCode> _heartbeatErrors = new();
    private int _generation;
    private byte[] _lastAssignment = [];

    public FakeGroupBroker()
    {
        Broker.Handler = Handle;
    }

    public FakeBroker Broker { get; } = new(1);

    /// <summary>Answers a group request before the defaults; return null to fall through.</summary>
    public Func<FakeRequest, FakeReply?>? Script { get; set; }

    public int Generation => Volatile.Read(ref _generation);

    public void AddTopic(string name, int partitions) => _topics[name] = (Guid.NewGuid(), partitions);

    public Guid TopicId(string name) => _topics[name].Id;

    public void FailNextHeartbeats(params ErrorCode[] errors)
    {
        foreach (ErrorCode e in errors)
        {
            _heartbeatErrors.Enqueue(e);
        }
    }

    public List<T> Requests<T>()
        where T : class, IKafkaMessage =>
        Broker.Received.Select(r => r.Message).OfType<T>().ToList();

    public int Count(ApiKey key) => Broker.Received.Count(r => r.ApiKey == key);

    public KafkaCluster NewCluster(ILogger? logger = null)
    {
        logger ??= Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        return new KafkaCluster(new ClusterOptions
        {
            BootstrapServers = [Broker.Address],
            RetryBackoff = TimeSpan.FromMilliseconds(20),
            ReconnectBackoff = TimeSpan.FromMilliseconds(20),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(200),
            Logger = logger,
            Connection = new ConnectionOptions { Logger = logger, RequestTimeout = TimeSpan.FromSeconds(10) },
        });
    }

    public static GroupSettings Settings(string group = "g", string? instanceId = null, params PartitionAssignmentStrategy[] assignors) => new()
    {
        GroupId = group,
        GroupInstanceId = instanceId,
        SessionTimeout = TimeSpan.FromSeconds(2),
        HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        MaxPollInterval = TimeSpan.FromSeconds(30),
        Assignors = assignors.Length == 0 ? [PartitionAssignmentStrategy.Range] : assignors,
        RetryBackoff = TimeSpan.FromMilliseconds(20),
        RetryBackoffMax = TimeSpan.FromMilliseconds(100),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private FakeReply? Handle(FakeRequest request)
    {
        switch (request.ApiKey)
        {
            case ApiKey.ApiVersions:
                return null;
            case ApiKey.Metadata:
                return new FakeReply.Message(Metadata());
            case ApiKey.FindCoordinator:
                return new FakeReply.Message(FindCoordinator(request));
        }

        if (Script?.Invoke(request) is { } scripted)
        {
            return scripted;
        }

        return request.Message switch
        {
            JoinGroupRequest join => new FakeReply.Message(SoloJoin(join)),
            SyncGroupRequest sync => new FakeReply.Message(SoloSync(sync)),
            HeartbeatRequest => new FakeReply.Message(new HeartbeatResponse { ErrorCode = _heartbeatErrors.TryDequeue(out ErrorCode e) ? (short)e : (short)0 }),
            LeaveGroupRequest leave => new FakeReply.Message(new LeaveGroupResponse
            {
                Members = leave.Members.Select(m => new LeaveGroupResponse.MemberResponse { MemberId = m.MemberId, GroupInstanceId = m.GroupInstanceId }).ToList(),
            }),
            OffsetCommitRequest commit => new FakeReply.Message(Commit(commit)),
            OffsetFetchRequest fetch => new FakeReply.Message(Fetch(fetch, request.Version)),
            ListOffsetsRequest list => new FakeReply.Message(new ListOffsetsResponse
            {
                Topics = list.Topics.Select(t => new ListOffsetsResponse.ListOffsetsTopicResponse
                {
                    Name = t.Name,
                    Partitions = t.Partitions.Select(p => new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = p.PartitionIndex, Offset = 0 }).ToList(),
                }).ToList(),
            }),
            _ => new FakeReply.Close(),
        };
    }

    private MetadataResponse Metadata()
    {
        var response = new MetadataResponse { ClusterId = "fake", ControllerId = 1 };
        response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = 1, Host = "127.0.0.1", Port = Broker.Port });
        foreach (var (name, (id, partitions)) in _topics)
        {
            var t = new MetadataResponse.MetadataResponseTopic { Name = name, TopicId = id };
            for (int p = 0; p < partitions; p++)
            {
                t.Partitions.Add(new MetadataResponse.MetadataResponsePartition { PartitionIndex = p, LeaderId = 1, ReplicaNodes = [1], IsrNodes = [1] });
            }

            response.Topics.Add(t);
        }

        return response;
    }

    private FindCoordinatorResponse FindCoordinator(FakeRequest request)
    {
        var find = (FindCoordinatorRequest)request.Message;
        if (request.Version >= 4)
        {
            return new FindCoordinatorResponse
            {
                Coordinators = find.CoordinatorKeys.Select(k => new FindCoordinatorResponse.Coordinator { Key = k, NodeId = 1, Host = "127.0.0.1", Port = Broker.Port }).ToList(),
            };
        }

        return new FindCoordinatorResponse { NodeId = 1, Host = "127.0.0.1", Port = Broker.Port };
    }

    /// <summary>A group of one: this member leads, in a new generation each time it joins.</summary>
    public JoinGroupResponse SoloJoin(JoinGroupRequest join)
    {
        string memberId = join.MemberId.Length > 0 ? join.MemberId : "member-1";
        return new JoinGroupResponse
        {
            GenerationId = Interlocked.Increment(ref _generation),
            ProtocolType = "consumer",
            ProtocolName = join.Protocols[0].Name,
            Leader = memberId,
            MemberId = memberId,
            Members = [new JoinGroupResponse.JoinGroupResponseMember { MemberId = memberId, GroupInstanceId = join.GroupInstanceId, Metadata = join.Protocols[0].Metadata }],
        };
    }

    public SyncGroupResponse SoloSync(SyncGroupRequest sync)
    {
        if (sync.Assignments.Count > 0)
        {
            _lastAssignment = sync.Assignments.First(a => a.MemberId == sync.MemberId).Assignment;
        }

        return new SyncGroupResponse { ProtocolType = "consumer", ProtocolName = sync.ProtocolName, Assignment = _lastAssignment };
    }

    private OffsetCommitResponse Commit(OffsetCommitRequest commit)
    {
        var response = new OffsetCommitResponse();
        foreach (OffsetCommitRequest.OffsetCommitRequestTopic t in commit.Topics)
        {
            var rt = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = t.Name };
            foreach (OffsetCommitRequest.OffsetCommitRequestPartition p in t.Partitions)
            {
                _committed[new TopicPartition(t.Name, p.PartitionIndex)] = p.CommittedOffset;
                rt.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex });
            }

            response.Topics.Add(rt);
        }

        return response;
    }

    private OffsetFetchResponse Fetch(OffsetFetchRequest fetch, short version)
    {
        if (version >= 8)
        {
            var response = new OffsetFetchResponse();
            foreach (OffsetFetchRequest.OffsetFetchRequestGroup g in fetch.Groups)
            {
                var rg = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = g.GroupId };
                foreach (OffsetFetchRequest.OffsetFetchRequestTopics t in g.Topics ?? [])
                {
                    rg.Topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopics
                    {
                        Name = t.Name,
                        Partitions = t.PartitionIndexes.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartitions
                        {
                            PartitionIndex = p,
                            CommittedOffset = _committed.GetValueOrDefault(new TopicPartition(t.Name, p), -1),
                            CommittedLeaderEpoch = -1,
                        }).ToList(),
                    });
                }

                response.Groups.Add(rg);
            }

            return response;
        }

        var old = new OffsetFetchResponse();
        foreach (OffsetFetchRequest.OffsetFetchRequestTopic t in fetch.Topics ?? [])
        {
            old.Topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopic
            {
                Name = t.Name,
                Partitions = t.PartitionIndexes.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartition
                {
                    PartitionIndex = p,
                    CommittedOffset = _committed.GetValueOrDefault(new TopicPartition(t.Name, p), -1),
                    CommittedLeaderEpoch = -1,
                }).ToList(),
            });
        }

        return old;
    }

    public ValueTask DisposeAsync() => Broker.DisposeAsync();
}

/// <summary>Drives a membership as the consumer would: polls events and acknowledges them.</summary>
internal static class MembershipDriver
{
    /// <summary>Polls until an event of <paramref name="kind"/> arrives (acknowledging the ones before it unless told not to).</summary>
    public static async Task<GroupEvent> NextAsync(IGroupMembership membership, GroupEventKind kind, TimeSpan? timeout = null, bool acknowledge = true)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var seen = new List<string>();
        while (true)
        {
            while (membership.TryTakeEvent(out GroupEvent e))
            {
                seen.Add($"{e.Kind}({string.Join(",", e.Partitions)})");
                if (acknowledge)
                {
                    membership.Acknowledge(e);
                }

                if (e.Kind == kind)
                {
                    return e;
                }
            }

            try
            {
                await membership.WaitForEventAsync(cts.Token).WaitAsync(TimeSpan.FromMilliseconds(100), cts.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {kind} event within the timeout; saw: {string.Join("; ", seen)}");
            }
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
