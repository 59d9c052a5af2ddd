using Samsa.Cluster;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Admin;

/// <summary>ListOffsets and DeleteRecords: one request per partition leader, retried when leadership moves.</summary>
internal static class PartitionOperations
{
    public static async Task<IReadOnlyList<ListOffsetsResult>> ListOffsetsAsync(AdminContext context, IReadOnlyList<TopicPartitionOffsetSpec> requests,
        IsolationLevel isolation, AdminOptions? options, CancellationToken cancellationToken)
    {
        var specs = new Dictionary<TopicPartition, OffsetSpec>();
        var order = new List<TopicPartition>(requests.Count);
        foreach (TopicPartitionOffsetSpec r in requests)
        {
            GroupOffsetOperations.ValidatePartitions([r.TopicPartition]);
            if (r.Spec.Value < -3)
            {
                throw new ArgumentException($"{r.TopicPartition}: {r.Spec.Value} is not an offset spec (use OffsetSpec.Earliest, Latest, MaxTimestamp or ForTimestamp).", nameof(requests));
            }

            specs[r.TopicPartition] = r.Spec;
            order.Add(r.TopicPartition);
        }

        using AdminCall call = context.Begin("ListOffsets", options, cancellationToken);
        var items = new PendingItems<TopicPartition, ListOffsetsResult>(order);
        Func<TopicPartition, ErrorCode, string?, ListOffsetsResult> failed = (tp, e, m) => new ListOffsetsResult(tp, e, m);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            var epochs = new Dictionary<TopicPartition, int>();
            Dictionary<int, List<TopicPartition>> byLeader = await ByLeaderAsync(context, call, items, pending, failed, epochs).ConfigureAwait(false);
            await AdminFanOut.RunAsync(items, byLeader, async (leader, partitions) =>
            {
                KafkaConnection connection = await context.BrokerAsync(call, leader, ApiKey.ListOffsets).ConfigureAwait(false);
                short version = connection.ResolveVersion(ApiKey.ListOffsets);
                var request = new ListOffsetsRequest { ReplicaId = -1, IsolationLevel = (sbyte)(isolation == IsolationLevel.ReadCommitted ? 1 : 0) };
                var sent = new List<TopicPartition>(partitions.Count);
                foreach (var (topic, parts) in GroupOffsetOperations.ByTopic(partitions))
                {
                    var t = new ListOffsetsRequest.ListOffsetsTopic { Name = topic };
                    foreach (int p in parts)
                    {
                        var tp = new TopicPartition(topic, p);
                        long spec = specs[tp].Value;
                        if (spec == OffsetSpec.MaxTimestamp.Value && version < 7)
                        {
                            items.Complete(tp, new ListOffsetsResult(tp, ErrorCode.UnsupportedVersion,
                                $"Broker {connection.Name} cannot look up the max-timestamp offset (ListOffsets v7+; v{version} in common)."));
                            continue;
                        }

                        // The leader epoch from metadata lets a broker with stale leadership refuse (KIP-320), as librdkafka and Java do.
                        t.Partitions.Add(new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p, CurrentLeaderEpoch = epochs[tp], Timestamp = spec, MaxNumOffsets = 1 });
                        sent.Add(tp);
                    }

                    if (t.Partitions.Count > 0)
                    {
                        request.Topics.Add(t);
                    }
                }

                if (sent.Count == 0)
                {
                    return;
                }

                ListOffsetsResponse response = await connection.SendAsync<ListOffsetsRequest, ListOffsetsResponse>(request, call.Token, version, call.RequestTimeout).ConfigureAwait(false);
                foreach (ListOffsetsResponse.ListOffsetsTopicResponse t in response.Topics)
                {
                    foreach (ListOffsetsResponse.ListOffsetsPartitionResponse p in t.Partitions)
                    {
                        var tp = new TopicPartition(t.Name, p.PartitionIndex);
                        var error = (ErrorCode)p.ErrorCode;
                        if (LeaderError(context, items, tp, error))
                        {
                            continue;
                        }

                        items.Complete(tp, new ListOffsetsResult(tp, error, AdminContext.Message(error, null))
                        {
                            Offset = error == ErrorCode.None ? new Offset(p.Offset) : Offset.Unset,
                            Timestamp = p.Timestamp,
                            LeaderEpoch = p.LeaderEpoch,
                        });
                    }
                }

                items.CompleteUnanswered(sent, "ListOffsets", failed);
            }, failed).ConfigureAwait(false);
        }, failed).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("ListOffsets", items.Results());
    }

    public static async Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecordsAsync(AdminContext context, IReadOnlyList<TopicPartitionOffset> beforeOffsets,
        AdminOptions? options, CancellationToken cancellationToken)
    {
        var offsets = new Dictionary<TopicPartition, long>();
        var order = new List<TopicPartition>(beforeOffsets.Count);
        foreach (TopicPartitionOffset tpo in beforeOffsets)
        {
            GroupOffsetOperations.ValidatePartitions([tpo.TopicPartition]);
            if (tpo.Offset.Value < 0 && tpo.Offset != Offset.End)
            {
                throw new ArgumentException($"{tpo.TopicPartition}: delete records before an offset >= 0, or Offset.End for all of them; not {tpo.Offset}.", nameof(beforeOffsets));
            }

            offsets[tpo.TopicPartition] = tpo.Offset.Value;
            order.Add(tpo.TopicPartition);
        }

        using AdminCall call = context.Begin("DeleteRecords", options, cancellationToken);
        var items = new PendingItems<TopicPartition, DeleteRecordsResult>(order);
        Func<TopicPartition, ErrorCode, string?, DeleteRecordsResult> failed = (tp, e, m) => new DeleteRecordsResult(tp, e, m);
        await AdminRetry.RunAsync(call, items, async pending =>
        {
            Dictionary<int, List<TopicPartition>> byLeader = await ByLeaderAsync(context, call, items, pending, failed).ConfigureAwait(false);
            await AdminFanOut.RunAsync(items, byLeader, async (leader, partitions) =>
            {
                KafkaConnection connection = await context.BrokerAsync(call, leader, ApiKey.DeleteRecords).ConfigureAwait(false);
                var request = new DeleteRecordsRequest { TimeoutMs = call.OperationTimeoutMs };
                foreach (var (topic, parts) in GroupOffsetOperations.ByTopic(partitions))
                {
                    var t = new DeleteRecordsRequest.DeleteRecordsTopic { Name = topic };
                    foreach (int p in parts)
                    {
                        t.Partitions.Add(new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = p, Offset = offsets[new TopicPartition(topic, p)] });
                    }

                    request.Topics.Add(t);
                }

                DeleteRecordsResponse response = await connection.SendAsync<DeleteRecordsRequest, DeleteRecordsResponse>(
                    request, call.Token, -1, call.OperationRequestTimeout).ConfigureAwait(false);
                foreach (DeleteRecordsResponse.DeleteRecordsTopicResult t in response.Topics)
                {
                    foreach (DeleteRecordsResponse.DeleteRecordsPartitionResult p in t.Partitions)
                    {
                        var tp = new TopicPartition(t.Name, p.PartitionIndex);
                        var error = (ErrorCode)p.ErrorCode;
                        if (!LeaderError(context, items, tp, error))
                        {
                            items.Complete(tp, new DeleteRecordsResult(tp, error, AdminContext.Message(error, null))
                            {
                                LowWatermark = error == ErrorCode.None ? new Offset(p.LowWatermark) : Offset.Unset,
                            });
                        }
                    }
                }

                items.CompleteUnanswered(partitions, "DeleteRecords", failed);
            }, failed).ConfigureAwait(false);
        }, failed).ConfigureAwait(false);

        return AdminResults.ThrowIfAnyFailed("DeleteRecords", items.Results());
    }

    /// <summary>
    /// Groups the pending partitions by leader from freshly refreshed metadata. Partitions of unknown topics or
    /// beyond the topic's partition count are finished with UNKNOWN_TOPIC_OR_PARTITION; partitions without a
    /// leader are left for the next attempt.
    /// </summary>
    private static async Task<Dictionary<int, List<TopicPartition>>> ByLeaderAsync<TResult>(AdminContext context, AdminCall call,
        PendingItems<TopicPartition, TResult> items, List<TopicPartition> pending, Func<TopicPartition, ErrorCode, string?, TResult> failed,
        Dictionary<TopicPartition, int>? epochs = null)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (TopicPartition tp in pending)
        {
            topics.Add(tp.Topic);
        }

        ClusterMetadata metadata = await context.MetadataForAsync(call, topics, refresh: true).ConfigureAwait(false);
        var byLeader = new Dictionary<int, List<TopicPartition>>();
        foreach (TopicPartition tp in pending)
        {
            TopicInfo? topic = metadata.Topic(tp.Topic);
            if (topic is null || (topic.Error != ErrorCode.None && AdminRetry.IsTransient(topic.Error)))
            {
                items.Retry(tp, topic?.Error ?? ErrorCode.LeaderNotAvailable, $"No metadata for topic '{tp.Topic}' yet.");
                continue;
            }

            if (topic.Error != ErrorCode.None)
            {
                items.Complete(tp, failed(tp, topic.Error, $"Topic '{tp.Topic}': {topic.Error.Describe()}"));
                continue;
            }

            if (tp.Partition >= topic.PartitionCount)
            {
                items.Complete(tp, failed(tp, ErrorCode.UnknownTopicOrPartition, $"Topic '{tp.Topic}' has {topic.PartitionCount} partitions; there is no partition {tp.Partition}."));
                continue;
            }

            int leader = topic.Partitions[tp.Partition].Leader;
            epochs?.Add(tp, topic.Partitions[tp.Partition].LeaderEpoch);
            if (leader < 0 || !metadata.Brokers.ContainsKey(leader))
            {
                items.Retry(tp, ErrorCode.LeaderNotAvailable, $"{tp} has no leader right now.");
                continue;
            }

            if (!byLeader.TryGetValue(leader, out List<TopicPartition>? list))
            {
                byLeader[leader] = list = [];
            }

            list.Add(tp);
        }

        return byLeader;
    }

    private static bool LeaderError<TResult>(AdminContext context, PendingItems<TopicPartition, TResult> items, TopicPartition tp, ErrorCode error)
    {
        if (!AdminRetry.IsTransient(error))
        {
            return false;
        }

        context.Cluster.RequestRefresh();
        items.Retry(tp, error, null);
        return true;
    }
}
