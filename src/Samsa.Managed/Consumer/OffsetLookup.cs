using Samsa.Cluster;
using Samsa.Network;
using Samsa.Protocol.Messages;

namespace Samsa.Consumer;

/// <summary>One ListOffsets answer for a partition.</summary>
internal readonly record struct ListedOffset(long Offset, long Timestamp, int LeaderEpoch, ErrorCode Error, string? Message = null);

/// <summary>Reads committed offsets: the group membership's OffsetFetch, or <see cref="GroupOffsets"/> for assign-only use.</summary>
internal delegate ValueTask<IReadOnlyList<TopicPartitionOffset>> CommittedLookup(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken);

/// <summary>
/// ListOffsets for many partitions at once: grouped by leader, one request per broker, sent together. Leader
/// changes and transient errors are retried (with a metadata refresh) until the caller's token ends the wait;
/// other errors are returned per partition.
/// </summary>
internal sealed class OffsetLookup
{
    /// <summary>ListOffsets timestamp for the earliest offset.</summary>
    public const long Earliest = -2;

    /// <summary>ListOffsets timestamp for the latest offset (the LSO under read_committed).</summary>
    public const long Latest = -1;

    /// <summary>ListOffsets timestamp for the record with the largest timestamp (KIP-734, ListOffsets v7+).</summary>
    public const long MaxTimestamp = -3;

    private readonly KafkaCluster _cluster;
    private readonly TimeSpan _retryBackoff;

    public OffsetLookup(KafkaCluster cluster, TimeSpan retryBackoff)
    {
        _cluster = cluster;
        _retryBackoff = retryBackoff;
    }

    public async Task<Dictionary<TopicPartition, ListedOffset>> ListAsync(
        IReadOnlyList<(TopicPartition Partition, long Timestamp)> queries, sbyte isolationLevel, CancellationToken cancellationToken)
    {
        var results = new Dictionary<TopicPartition, ListedOffset>();
        var pending = new List<(TopicPartition Partition, long Timestamp)>(queries);
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in queries)
        {
            topics.Add(q.Partition.Topic);
        }

        _cluster.AddTopics(topics);
        KafkaException? lastError = null;
        while (true)
        {
            var byLeader = new Dictionary<int, List<(TopicPartition Partition, long Timestamp, int Epoch)>>();
            var retry = new List<(TopicPartition, long)>();
            foreach (var q in pending)
            {
                TopicInfo topic = await _cluster.WaitForTopicAsync(q.Partition.Topic, cancellationToken).ConfigureAwait(false);
                if (topic.Error != ErrorCode.None)
                {
                    results[q.Partition] = new ListedOffset(-1, -1, -1, topic.Error, $"Topic '{q.Partition.Topic}': {topic.Error.Describe()}");
                    continue;
                }

                if ((uint)q.Partition.Partition >= (uint)topic.PartitionCount)
                {
                    results[q.Partition] = new ListedOffset(-1, -1, -1, ErrorCode.LocalUnknownPartition,
                        $"Topic '{q.Partition.Topic}' has {topic.PartitionCount} partitions; there is no partition {q.Partition.Partition}.");
                    continue;
                }

                PartitionInfo info = topic.Partitions[q.Partition.Partition];
                if (info.Leader < 0)
                {
                    retry.Add(q);
                    continue;
                }

                if (!byLeader.TryGetValue(info.Leader, out var list))
                {
                    byLeader[info.Leader] = list = [];
                }

                list.Add((q.Partition, q.Timestamp, info.LeaderEpoch));
            }

            var sends = new List<Task<KafkaException?>>();
            foreach (var (leader, list) in byLeader)
            {
                sends.Add(SendAsync(leader, list, isolationLevel, results, retry, cancellationToken));
            }

            foreach (Task<KafkaException?> send in sends)
            {
                lastError = await send.ConfigureAwait(false) ?? lastError;
            }

            if (retry.Count == 0)
            {
                return results;
            }

            pending = retry;
            _cluster.RequestRefresh();
            try
            {
                await Task.Delay(_retryBackoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new KafkaException(ErrorCode.LocalTimedOut,
                    $"Listing offsets of {pending.Count} partition(s) (first {pending[0].Partition}) timed out" + (lastError is null ? "." : $": {lastError.Message}"), lastError);
            }
        }
    }

    /// <summary>Sends one broker's ListOffsets; fills results or the retry list. Returns a transport error, if any.</summary>
    private async Task<KafkaException?> SendAsync(int leader, List<(TopicPartition Partition, long Timestamp, int Epoch)> list, sbyte isolationLevel,
        Dictionary<TopicPartition, ListedOffset> results, List<(TopicPartition, long)> retry, CancellationToken cancellationToken)
    {
        var request = new ListOffsetsRequest { ReplicaId = -1, IsolationLevel = isolationLevel };
        var byTopic = new Dictionary<string, ListOffsetsRequest.ListOffsetsTopic>(StringComparer.Ordinal);
        foreach (var (tp, timestamp, epoch) in list)
        {
            if (!byTopic.TryGetValue(tp.Topic, out ListOffsetsRequest.ListOffsetsTopic? topic))
            {
                byTopic[tp.Topic] = topic = new ListOffsetsRequest.ListOffsetsTopic { Name = tp.Topic };
                request.Topics.Add(topic);
            }

            topic.Partitions.Add(new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = tp.Partition, Timestamp = timestamp, CurrentLeaderEpoch = epoch });
        }

        ListOffsetsResponse response;
        try
        {
            KafkaConnection connection = await _cluster.GetConnectionAsync(leader, cancellationToken).ConfigureAwait(false);
            response = await connection.SendAsync<ListOffsetsRequest, ListOffsetsResponse>(request, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex) when (!cancellationToken.IsCancellationRequested)
        {
            foreach (var (tp, timestamp, _) in list)
            {
                lock (retry)
                {
                    retry.Add((tp, timestamp));
                }
            }

            return ex;
        }

        lock (results)
        {
            foreach (var (tp, timestamp, _) in list)
            {
                ListOffsetsResponse.ListOffsetsPartitionResponse? answer = Find(response, tp);
                if (answer is null)
                {
                    results[tp] = new ListedOffset(-1, -1, -1, ErrorCode.LocalBadMsg, $"Broker {leader} sent no ListOffsets answer for {tp}.");
                    continue;
                }

                var error = (ErrorCode)answer.ErrorCode;
                if (error is ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch
                    or ErrorCode.OffsetNotAvailable or ErrorCode.KafkaStorageError or ErrorCode.RequestTimedOut)
                {
                    lock (retry)
                    {
                        retry.Add((tp, timestamp));
                    }

                    continue;
                }

                long offset = answer.Offset;
                if (offset < 0 && answer.OldStyleOffsets is { Count: > 0 } old)
                {
                    offset = old[0];
                }

                results[tp] = new ListedOffset(offset, answer.Timestamp, answer.LeaderEpoch, error,
                    error == ErrorCode.None ? null : $"ListOffsets for {tp} failed on broker {leader}: {error.Describe()}");
            }
        }

        return null;
    }

    private static ListOffsetsResponse.ListOffsetsPartitionResponse? Find(ListOffsetsResponse response, TopicPartition tp)
    {
        foreach (ListOffsetsResponse.ListOffsetsTopicResponse topic in response.Topics)
        {
            if (topic.Name != tp.Topic)
            {
                continue;
            }

            foreach (ListOffsetsResponse.ListOffsetsPartitionResponse p in topic.Partitions)
            {
                if (p.PartitionIndex == tp.Partition)
                {
                    return p;
                }
            }
        }

        return null;
    }
}
