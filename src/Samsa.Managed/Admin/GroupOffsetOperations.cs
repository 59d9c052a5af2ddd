using Samsa.Cluster;
using Samsa.Protocol.Messages;

namespace Samsa.Admin;

/// <summary>
/// A group's committed offsets, as an administrator sees them: OffsetFetch to read, OffsetCommit with no
/// generation (-1) and no member id to alter (the group must have no active members), OffsetDelete to delete.
/// All go to the group's coordinator.
/// </summary>
internal static class GroupOffsetOperations
{
    public static async Task<IReadOnlyList<GroupOffsetResult>> ListGroupOffsetsAsync(AdminContext context, string group, IReadOnlyList<TopicPartition>? partitions,
        bool requireStable, AdminOptions? options, CancellationToken cancellationToken)
    {
        GroupOperations.ValidateGroup(group);
        if (partitions is not null)
        {
            ValidatePartitions(partitions);
        }

        using AdminCall call = context.Begin("OffsetFetch", options, cancellationToken);
        IReadOnlyList<GroupOffsetResult>? results = null;
        var items = new PendingItems<string, IAdminResult?>([group], StringComparer.Ordinal);
        await AdminRetry.RunAsync(call, items, async _ =>
        {
            BrokerNode node = await context.Cluster.FindCoordinatorAsync(CoordinatorType.Group, group, call.Token).ConfigureAwait(false);
            short version = -1;
            OffsetFetchResponse response = await GroupOperations.SendToCoordinatorAsync<OffsetFetchRequest, OffsetFetchResponse>(context, call, node, [group], v =>
            {
                version = v;
                return FetchRequest(group, partitions, requireStable, v);
            }).ConfigureAwait(false);
            (ErrorCode error, List<GroupOffsetResult> offsets) = ReadFetch(response, group, version);
            if (GroupOperations.CoordinatorError(context, items, group, error, null))
            {
                return;
            }

            if (error != ErrorCode.None)
            {
                throw new KafkaException(error, $"OffsetFetch for group '{group}' failed: {error.Describe()}");
            }

            foreach (GroupOffsetResult r in offsets)
            {
                if (r.Error == ErrorCode.UnstableOffsetCommit)
                {
                    items.Retry(group, r.Error, $"{r.Subject} has a pending transactional commit.");
                    return;
                }
            }

            results = Order(offsets, partitions);
            items.Complete(group, null);
        }, (_, e, m) => throw new KafkaException(e, $"OffsetFetch for group '{group}' failed: {m}")).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("OffsetFetch", results!);
    }

    public static async Task<IReadOnlyList<PartitionResult>> AlterGroupOffsetsAsync(AdminContext context, string group, IReadOnlyList<TopicPartitionOffset> offsets,
        AdminOptions? options, CancellationToken cancellationToken)
    {
        GroupOperations.ValidateGroup(group);
        var byPartition = new Dictionary<TopicPartition, TopicPartitionOffset>();
        var order = new List<TopicPartition>(offsets.Count);
        foreach (TopicPartitionOffset tpo in offsets)
        {
            TopicOperations.ValidateName(tpo.Topic);
            if (tpo.Offset.Value < 0)
            {
                throw new ArgumentException($"{tpo.TopicPartition}: a committed offset must be a real position (>= 0), not {tpo.Offset}.", nameof(offsets));
            }

            byPartition[tpo.TopicPartition] = tpo;
            order.Add(tpo.TopicPartition);
        }

        using AdminCall call = context.Begin("OffsetCommit", options, cancellationToken);
        var items = new PendingItems<TopicPartition, PartitionResult>(order);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            BrokerNode node = await context.Cluster.FindCoordinatorAsync(CoordinatorType.Group, group, call.Token).ConfigureAwait(false);

            // Generation -1 and an empty member id: a commit from outside the group (as Kafka's admin clients do).
            var request = new OffsetCommitRequest { GroupId = group, GenerationIdOrMemberEpoch = -1, MemberId = "", GroupInstanceId = null, RetentionTimeMs = -1 };
            foreach (var (topic, parts) in ByTopic(pending))
            {
                var t = new OffsetCommitRequest.OffsetCommitRequestTopic { Name = topic };
                foreach (int p in parts)
                {
                    TopicPartitionOffset tpo = byPartition[new TopicPartition(topic, p)];
                    t.Partitions.Add(new OffsetCommitRequest.OffsetCommitRequestPartition
                    {
                        PartitionIndex = p,
                        CommittedOffset = tpo.Offset.Value,
                        CommittedLeaderEpoch = tpo.LeaderEpoch,
                        CommittedMetadata = "",
                    });
                }

                request.Topics.Add(t);
            }

            OffsetCommitResponse response = await GroupOperations.SendToCoordinatorAsync<OffsetCommitRequest, OffsetCommitResponse>(context, call, node, [group], request).ConfigureAwait(false);
            foreach (OffsetCommitResponse.OffsetCommitResponseTopic t in response.Topics)
            {
                foreach (OffsetCommitResponse.OffsetCommitResponsePartition p in t.Partitions)
                {
                    var tp = new TopicPartition(t.Name, p.PartitionIndex);
                    var error = (ErrorCode)p.ErrorCode;
                    if (!PartitionCoordinatorError(context, items, group, tp, error))
                    {
                        items.Complete(tp, new PartitionResult(tp, error, AdminContext.Message(error, null)));
                    }
                }
            }

            items.CompleteUnanswered(pending, "OffsetCommit", (tp, e, m) => new PartitionResult(tp, e, m));
        }, (tp, e, m) => new PartitionResult(tp, e, m)).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("OffsetCommit", items.Results());
    }

    public static async Task<IReadOnlyList<PartitionResult>> DeleteGroupOffsetsAsync(AdminContext context, string group, IReadOnlyList<TopicPartition> partitions,
        AdminOptions? options, CancellationToken cancellationToken)
    {
        GroupOperations.ValidateGroup(group);
        ValidatePartitions(partitions);
        using AdminCall call = context.Begin("OffsetDelete", options, cancellationToken);
        var items = new PendingItems<TopicPartition, PartitionResult>(partitions);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            BrokerNode node = await context.Cluster.FindCoordinatorAsync(CoordinatorType.Group, group, call.Token).ConfigureAwait(false);
            var request = new OffsetDeleteRequest { GroupId = group };
            foreach (var (topic, parts) in ByTopic(pending))
            {
                var t = new OffsetDeleteRequest.OffsetDeleteRequestTopic { Name = topic };
                foreach (int p in parts)
                {
                    t.Partitions.Add(new OffsetDeleteRequest.OffsetDeleteRequestPartition { PartitionIndex = p });
                }

                request.Topics.Add(t);
            }

            OffsetDeleteResponse response = await GroupOperations.SendToCoordinatorAsync<OffsetDeleteRequest, OffsetDeleteResponse>(context, call, node, [group], request).ConfigureAwait(false);
            var groupError = (ErrorCode)response.ErrorCode;
            if (groupError != ErrorCode.None)
            {
                // An error of the whole group (not found, coordinator moved, still has members...) applies to every partition.
                foreach (TopicPartition tp in pending)
                {
                    if (!PartitionCoordinatorError(context, items, group, tp, groupError))
                    {
                        items.Complete(tp, new PartitionResult(tp, groupError, AdminContext.Message(groupError, null)));
                    }
                }

                return;
            }

            foreach (OffsetDeleteResponse.OffsetDeleteResponseTopic t in response.Topics)
            {
                foreach (OffsetDeleteResponse.OffsetDeleteResponsePartition p in t.Partitions)
                {
                    var tp = new TopicPartition(t.Name, p.PartitionIndex);
                    var error = (ErrorCode)p.ErrorCode;
                    items.Complete(tp, new PartitionResult(tp, error, AdminContext.Message(error, null)));
                }
            }

            items.CompleteUnanswered(pending, "OffsetDelete", (tp, e, m) => new PartitionResult(tp, e, m));
        }, (tp, e, m) => new PartitionResult(tp, e, m)).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("OffsetDelete", items.Results());
    }

    private static OffsetFetchRequest FetchRequest(string group, IReadOnlyList<TopicPartition>? partitions, bool requireStable, short version)
    {
        var request = new OffsetFetchRequest { RequireStable = requireStable };
        if (version >= 8)
        {
            var g = new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = group, MemberId = null, MemberEpoch = -1, Topics = null };
            if (partitions is not null)
            {
                g.Topics = [];
                foreach (var (topic, parts) in ByTopic(partitions))
                {
                    g.Topics.Add(new OffsetFetchRequest.OffsetFetchRequestTopics { Name = topic, PartitionIndexes = parts });
                }
            }

            request.Groups.Add(g);
            request.Topics = null;
            return request;
        }

        request.GroupId = group;
        request.Topics = null; // all committed offsets (v2+)
        if (partitions is not null)
        {
            request.Topics = [];
            foreach (var (topic, parts) in ByTopic(partitions))
            {
                request.Topics.Add(new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic, PartitionIndexes = parts });
            }
        }

        return request;
    }

    private static (ErrorCode Error, List<GroupOffsetResult> Offsets) ReadFetch(OffsetFetchResponse response, string group, short version)
    {
        var offsets = new List<GroupOffsetResult>();
        if (version >= 8)
        {
            OffsetFetchResponse.OffsetFetchResponseGroup? g = response.Groups.Find(x => x.GroupId == group);
            if (g is null)
            {
                return (ErrorCode.UnknownServerError, offsets);
            }

            foreach (OffsetFetchResponse.OffsetFetchResponseTopics t in g.Topics)
            {
                foreach (OffsetFetchResponse.OffsetFetchResponsePartitions p in t.Partitions)
                {
                    offsets.Add(Offset(t.Name, p.PartitionIndex, p.CommittedOffset, p.CommittedLeaderEpoch, p.Metadata, p.ErrorCode));
                }
            }

            return ((ErrorCode)g.ErrorCode, offsets);
        }

        foreach (OffsetFetchResponse.OffsetFetchResponseTopic t in response.Topics)
        {
            foreach (OffsetFetchResponse.OffsetFetchResponsePartition p in t.Partitions)
            {
                offsets.Add(Offset(t.Name, p.PartitionIndex, p.CommittedOffset, p.CommittedLeaderEpoch, p.Metadata, p.ErrorCode));
            }
        }

        return ((ErrorCode)response.ErrorCode, offsets);
    }

    private static GroupOffsetResult Offset(string topic, int partition, long offset, int epoch, string? metadata, short errorCode)
    {
        var error = (ErrorCode)errorCode;
        return new GroupOffsetResult(new TopicPartition(topic, partition), error, AdminContext.Message(error, null))
        {
            // -1 is "no committed offset" on the wire; librdkafka and Confluent.Kafka report it as Offset.Unset.
            Offset = offset < 0 ? Samsa.Offset.Unset : new Offset(offset),
            LeaderEpoch = epoch,
            Metadata = metadata,
        };
    }

    /// <summary>The offsets in the order asked for, or sorted by topic and partition when all were asked for.</summary>
    private static List<GroupOffsetResult> Order(List<GroupOffsetResult> offsets, IReadOnlyList<TopicPartition>? asked)
    {
        if (asked is null)
        {
            offsets.Sort((a, b) =>
            {
                int c = string.CompareOrdinal(a.TopicPartition.Topic, b.TopicPartition.Topic);
                return c != 0 ? c : a.TopicPartition.Partition.CompareTo(b.TopicPartition.Partition);
            });
            return offsets;
        }

        var byPartition = new Dictionary<TopicPartition, GroupOffsetResult>(offsets.Count);
        foreach (GroupOffsetResult r in offsets)
        {
            byPartition[r.TopicPartition] = r;
        }

        var ordered = new List<GroupOffsetResult>(asked.Count);
        foreach (TopicPartition tp in asked)
        {
            ordered.Add(byPartition.TryGetValue(tp, out GroupOffsetResult? r)
                ? r
                : new GroupOffsetResult(tp, ErrorCode.UnknownServerError, $"The OffsetFetch response has no result for {tp}."));
        }

        return ordered;
    }

    private static bool PartitionCoordinatorError(AdminContext context, PendingItems<TopicPartition, PartitionResult> items, string group, TopicPartition tp, ErrorCode error)
    {
        if (error is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable)
        {
            context.CoordinatorMoved(group);
        }

        if (error is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress)
        {
            items.Retry(tp, error, null);
            return true;
        }

        return false;
    }

    /// <summary>Partitions grouped by topic, topics in order of first appearance.</summary>
    internal static List<(string Topic, List<int> Partitions)> ByTopic(IEnumerable<TopicPartition> partitions)
    {
        var list = new List<(string, List<int>)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (TopicPartition tp in partitions)
        {
            if (!index.TryGetValue(tp.Topic, out int i))
            {
                index[tp.Topic] = i = list.Count;
                list.Add((tp.Topic, []));
            }

            list[i].Item2.Add(tp.Partition);
        }

        return list;
    }

    internal static void ValidatePartitions(IReadOnlyList<TopicPartition> partitions)
    {
        foreach (TopicPartition tp in partitions)
        {
            TopicOperations.ValidateName(tp.Topic);
            if (tp.Partition < 0)
            {
                throw new ArgumentException($"{tp}: a partition id must not be negative.", nameof(partitions));
            }
        }
    }
}
