using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport;

public sealed partial class FakeKafka
{
    private OffsetFetchResponse OffsetFetch(int broker, OffsetFetchRequest request, short version)
    {
        var response = new OffsetFetchResponse();
        ErrorCode injected = TakeInjected(ApiKey.OffsetFetch);
        if (version >= 8)
        {
            foreach (OffsetFetchRequest.OffsetFetchRequestGroup g in request.Groups)
            {
                ErrorCode error = injected != ErrorCode.None ? injected : CoordinatorOf(g.GroupId) != broker ? ErrorCode.NotCoordinator : ErrorCode.None;
                var group = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = g.GroupId, ErrorCode = (short)error };
                if (error == ErrorCode.None)
                {
                    List<(string Topic, List<int> Partitions)>? asked = g.Topics?.Select(t => (t.Name, t.PartitionIndexes)).ToList();
                    foreach (var (topic, partitions) in Committed(g.GroupId, asked))
                    {
                        group.Topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopics
                        {
                            Name = topic,
                            Partitions = [.. partitions.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartitions
                            {
                                PartitionIndex = p.Partition, CommittedOffset = p.Offset, CommittedLeaderEpoch = p.Epoch, Metadata = p.Metadata,
                            })],
                        });
                    }
                }

                response.Groups.Add(group);
            }

            return response;
        }

        ErrorCode topError = injected != ErrorCode.None ? injected : CoordinatorOf(request.GroupId) != broker ? ErrorCode.NotCoordinator : ErrorCode.None;
        response.ErrorCode = (short)topError;
        if (topError == ErrorCode.None)
        {
            foreach (var (topic, partitions) in Committed(request.GroupId, request.Topics?.Select(t => (t.Name, t.PartitionIndexes)).ToList()))
            {
                response.Topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopic
                {
                    Name = topic,
                    Partitions = [.. partitions.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartition
                    {
                        PartitionIndex = p.Partition, CommittedOffset = p.Offset, CommittedLeaderEpoch = p.Epoch, Metadata = p.Metadata,
                    })],
                });
            }
        }

        return response;
    }

    private List<(string Topic, List<(int Partition, long Offset, int Epoch, string? Metadata)> Partitions)> Committed(string groupId, List<(string Topic, List<int> Partitions)>? asked)
    {
        _groups.TryGetValue(groupId, out FakeGroup? group);
        var result = new List<(string, List<(int, long, int, string?)>)>();
        if (asked is null)
        {
            foreach (IGrouping<string, KeyValuePair<TopicPartition, (long Offset, int LeaderEpoch, string? Metadata)>> byTopic in
                (group?.Offsets ?? []).GroupBy(kv => kv.Key.Topic).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                result.Add((byTopic.Key, [.. byTopic.OrderBy(kv => kv.Key.Partition).Select(kv => (kv.Key.Partition, kv.Value.Offset, kv.Value.LeaderEpoch, kv.Value.Metadata))]));
            }

            return result;
        }

        foreach (var (topic, partitions) in asked)
        {
            var list = new List<(int, long, int, string?)>();
            foreach (int p in partitions)
            {
                list.Add(group is not null && group.Offsets.TryGetValue(new TopicPartition(topic, p), out var c) ? (p, c.Offset, c.LeaderEpoch, c.Metadata) : (p, -1L, -1, ""));
            }

            result.Add((topic, list));
        }

        return result;
    }

    private OffsetCommitResponse OffsetCommit(int broker, OffsetCommitRequest request)
    {
        var response = new OffsetCommitResponse();
        ErrorCode injected = TakeInjected(ApiKey.OffsetCommit);
        _groups.TryGetValue(request.GroupId, out FakeGroup? group);
        foreach (OffsetCommitRequest.OffsetCommitRequestTopic t in request.Topics)
        {
            var topic = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = t.Name };
            foreach (OffsetCommitRequest.OffsetCommitRequestPartition p in t.Partitions)
            {
                ErrorCode error = injected != ErrorCode.None ? injected
                    : CoordinatorOf(request.GroupId) != broker ? ErrorCode.NotCoordinator
                    : group is { Members.Count: > 0 } && request.GenerationIdOrMemberEpoch < 0 ? ErrorCode.UnknownMemberId
                    : !_topics.TryGetValue(t.Name, out FakeTopic? ft) || p.PartitionIndex >= ft.Partitions.Count ? ErrorCode.UnknownTopicOrPartition
                    : ErrorCode.None;
                if (error == ErrorCode.None)
                {
                    group ??= AddGroupLocked(request.GroupId);
                    group.Offsets[new TopicPartition(t.Name, p.PartitionIndex)] = (p.CommittedOffset, p.CommittedLeaderEpoch, p.CommittedMetadata);
                }

                topic.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = (short)error });
            }

            response.Topics.Add(topic);
        }

        return response;
    }

    private FakeGroup AddGroupLocked(string groupId)
    {
        var group = new FakeGroup { Id = groupId };
        _groups[groupId] = group;
        return group;
    }

    private OffsetDeleteResponse OffsetDelete(int broker, OffsetDeleteRequest request)
    {
        var response = new OffsetDeleteResponse();
        ErrorCode injected = TakeInjected(ApiKey.OffsetDelete);
        ErrorCode groupError = injected != ErrorCode.None ? injected
            : CoordinatorOf(request.GroupId) != broker ? ErrorCode.NotCoordinator
            : !_groups.ContainsKey(request.GroupId) ? ErrorCode.GroupIdNotFound
            : ErrorCode.None;
        response.ErrorCode = (short)groupError;
        if (groupError != ErrorCode.None)
        {
            return response;
        }

        FakeGroup group = _groups[request.GroupId];
        foreach (OffsetDeleteRequest.OffsetDeleteRequestTopic t in request.Topics)
        {
            var topic = new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = t.Name };
            foreach (OffsetDeleteRequest.OffsetDeleteRequestPartition p in t.Partitions)
            {
                ErrorCode error = group.SubscribedTopics.Contains(t.Name) ? ErrorCode.GroupSubscribedToTopic : ErrorCode.None;
                if (error == ErrorCode.None)
                {
                    group.Offsets.Remove(new TopicPartition(t.Name, p.PartitionIndex));
                }

                topic.Partitions.Add(new OffsetDeleteResponse.OffsetDeleteResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = (short)error });
            }

            response.Topics.Add(topic);
        }

        return response;
    }

    private ListOffsetsResponse ListOffsets(int broker, ListOffsetsRequest request)
    {
        var response = new ListOffsetsResponse();
        ErrorCode injected = TakeInjected(ApiKey.ListOffsets);
        foreach (ListOffsetsRequest.ListOffsetsTopic t in request.Topics)
        {
            var topic = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = t.Name };
            _topics.TryGetValue(t.Name, out FakeTopic? ft);
            foreach (ListOffsetsRequest.ListOffsetsPartition p in t.Partitions)
            {
                var result = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = p.PartitionIndex, Offset = -1, Timestamp = -1, LeaderEpoch = -1 };
                FakePartition? partition = ft is not null && p.PartitionIndex < ft.Partitions.Count ? ft.Partitions[p.PartitionIndex] : null;
                ErrorCode error = injected != ErrorCode.None ? injected
                    : partition is null ? ErrorCode.UnknownTopicOrPartition
                    : partition.Leader != broker ? ErrorCode.NotLeaderOrFollower
                    : ErrorCode.None;
                result.ErrorCode = (short)error;
                if (error == ErrorCode.None)
                {
                    (result.Offset, result.Timestamp) = Lookup(partition!, p.Timestamp);
                    result.LeaderEpoch = partition!.LeaderEpoch;
                }

                topic.Partitions.Add(result);
            }

            response.Topics.Add(topic);
        }

        return response;
    }

    private static (long Offset, long Timestamp) Lookup(FakePartition partition, long spec)
    {
        switch (spec)
        {
            case -2:
                return (partition.LogStartOffset, -1);
            case -1:
                return (partition.HighWatermark, -1);
            case -3:
                long best = -1;
                long bestTs = -1;
                for (long o = partition.LogStartOffset; o < partition.HighWatermark; o++)
                {
                    if (partition.Timestamps[(int)o] > bestTs)
                    {
                        (best, bestTs) = (o, partition.Timestamps[(int)o]);
                    }
                }

                return (best, bestTs);
            default:
                for (long o = partition.LogStartOffset; o < partition.HighWatermark; o++)
                {
                    if (partition.Timestamps[(int)o] >= spec)
                    {
                        return (o, partition.Timestamps[(int)o]);
                    }
                }

                return (-1, -1);
        }
    }

    private DeleteRecordsResponse DeleteRecords(int broker, DeleteRecordsRequest request)
    {
        var response = new DeleteRecordsResponse();
        ErrorCode injected = TakeInjected(ApiKey.DeleteRecords);
        foreach (DeleteRecordsRequest.DeleteRecordsTopic t in request.Topics)
        {
            var topic = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = t.Name };
            _topics.TryGetValue(t.Name, out FakeTopic? ft);
            foreach (DeleteRecordsRequest.DeleteRecordsPartition p in t.Partitions)
            {
                FakePartition? partition = ft is not null && p.PartitionIndex < ft.Partitions.Count ? ft.Partitions[p.PartitionIndex] : null;
                long before = partition is not null && p.Offset == -1 ? partition.HighWatermark : p.Offset;
                ErrorCode error = injected != ErrorCode.None ? injected
                    : partition is null ? ErrorCode.UnknownTopicOrPartition
                    : partition.Leader != broker ? ErrorCode.NotLeaderOrFollower
                    : before > partition.HighWatermark ? ErrorCode.OffsetOutOfRange
                    : ErrorCode.None;
                long low = -1;
                if (error == ErrorCode.None)
                {
                    partition!.LogStartOffset = Math.Max(partition.LogStartOffset, before);
                    low = partition.LogStartOffset;
                }

                topic.Partitions.Add(new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = p.PartitionIndex, LowWatermark = low, ErrorCode = (short)error });
            }

            response.Topics.Add(topic);
        }

        return response;
    }
}
