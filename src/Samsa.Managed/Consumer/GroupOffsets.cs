using Samsa.Cluster;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Consumer;

/// <summary>
/// OffsetCommit and OffsetFetch for one group through its coordinator (on the coordinator connection, so they
/// never queue behind a long-polling Fetch). Used directly by assign-only consumers (generation -1, member id
/// "": librdkafka's "simple consumer" commits) and available to the group membership for its own commits.
/// Coordinator moves and load-in-progress are retried until the caller's token ends the wait.
/// </summary>
internal sealed class GroupOffsets
{
    private readonly KafkaCluster _cluster;
    private readonly TimeSpan _retryBackoff;

    public GroupOffsets(KafkaCluster cluster, string groupId, string? groupInstanceId, TimeSpan retryBackoff)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        _cluster = cluster;
        GroupId = groupId;
        GroupInstanceId = groupInstanceId;
        _retryBackoff = retryBackoff;
    }

    public string GroupId { get; }

    public string? GroupInstanceId { get; }

    /// <summary>
    /// Commits <paramref name="offsets"/> (the next offset to read, and its leader epoch when known). Throws a
    /// <see cref="KafkaException"/> naming the first partition the coordinator refused and why.
    /// </summary>
    public async ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, int generationIdOrMemberEpoch, string memberId, CancellationToken cancellationToken)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        var request = new OffsetCommitRequest
        {
            GroupId = GroupId,
            GenerationIdOrMemberEpoch = generationIdOrMemberEpoch,
            MemberId = memberId,
            GroupInstanceId = GroupInstanceId,
        };
        var byTopic = new Dictionary<string, OffsetCommitRequest.OffsetCommitRequestTopic>(StringComparer.Ordinal);
        foreach (TopicPartitionOffset o in offsets)
        {
            if (!byTopic.TryGetValue(o.Topic, out OffsetCommitRequest.OffsetCommitRequestTopic? topic))
            {
                byTopic[o.Topic] = topic = new OffsetCommitRequest.OffsetCommitRequestTopic { Name = o.Topic };
                request.Topics.Add(topic);
            }

            topic.Partitions.Add(new OffsetCommitRequest.OffsetCommitRequestPartition
            {
                PartitionIndex = o.Partition,
                CommittedOffset = o.Offset.Value,
                CommittedLeaderEpoch = o.LeaderEpoch,
            });
        }

        while (true)
        {
            ErrorCode retryable;
            string detail;
            try
            {
                KafkaConnection connection = await CoordinatorAsync(cancellationToken).ConfigureAwait(false);
                OffsetCommitResponse response = await connection.SendAsync<OffsetCommitRequest, OffsetCommitResponse>(request, cancellationToken).ConfigureAwait(false);
                (retryable, detail) = CheckCommit(response);
                if (retryable == ErrorCode.None)
                {
                    return;
                }
            }
            catch (KafkaException ex) when (IsCoordinatorTrouble(ex.Error) && !cancellationToken.IsCancellationRequested)
            {
                (retryable, detail) = (ex.Error, ex.Message);
            }

            _cluster.InvalidateCoordinator(CoordinatorType.Group, GroupId);
            await DelayAsync(retryable, detail, "committing offsets", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Returns the coordinator's retriable error (None when done); throws for any other error.</summary>
    private (ErrorCode, string) CheckCommit(OffsetCommitResponse response)
    {
        foreach (OffsetCommitResponse.OffsetCommitResponseTopic topic in response.Topics)
        {
            foreach (OffsetCommitResponse.OffsetCommitResponsePartition p in topic.Partitions)
            {
                var error = (ErrorCode)p.ErrorCode;
                if (error == ErrorCode.None)
                {
                    continue;
                }

                if (IsCoordinatorTrouble(error))
                {
                    return (error, $"{topic.Name} [{p.PartitionIndex}]: {error.Describe()}");
                }

                throw new KafkaException(error, $"Committing the offset of {topic.Name} [{p.PartitionIndex}] for group '{GroupId}' failed: {error.Describe()}");
            }
        }

        return (ErrorCode.None, string.Empty);
    }

    /// <summary>
    /// The committed offsets of <paramref name="partitions"/> (<see cref="Offset.Unset"/> where none is committed).
    /// <paramref name="requireStable"/> waits out pending transactional commits (read_committed consumers).
    /// </summary>
    public async ValueTask<IReadOnlyList<TopicPartitionOffset>> FetchAsync(IReadOnlyList<TopicPartition> partitions, bool requireStable,
        CancellationToken cancellationToken, string? memberId = null, int memberEpoch = -1)
    {
        while (true)
        {
            ErrorCode retryable;
            string detail;
            try
            {
                KafkaConnection connection = await CoordinatorAsync(cancellationToken).ConfigureAwait(false);
                short version = connection.ResolveVersion(ApiKey.OffsetFetch);
                OffsetFetchRequest request = BuildFetch(partitions, requireStable, version, memberId, memberEpoch);
                OffsetFetchResponse response = await connection.SendAsync<OffsetFetchRequest, OffsetFetchResponse>(request, cancellationToken, version).ConfigureAwait(false);
                List<TopicPartitionOffset>? result = ReadFetch(response, partitions, version, out retryable, out detail);
                if (result is not null)
                {
                    return result;
                }
            }
            catch (KafkaException ex) when (IsCoordinatorTrouble(ex.Error) && !cancellationToken.IsCancellationRequested)
            {
                (retryable, detail) = (ex.Error, ex.Message);
            }

            if (retryable != ErrorCode.UnstableOffsetCommit)
            {
                _cluster.InvalidateCoordinator(CoordinatorType.Group, GroupId);
            }

            await DelayAsync(retryable, detail, "reading committed offsets", cancellationToken).ConfigureAwait(false);
        }
    }

    private OffsetFetchRequest BuildFetch(IReadOnlyList<TopicPartition> partitions, bool requireStable, short version, string? memberId, int memberEpoch)
    {
        var request = new OffsetFetchRequest { RequireStable = requireStable };
        if (version >= 8)
        {
            var group = new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = GroupId, MemberId = memberId, MemberEpoch = memberEpoch, Topics = [] };
            var byTopic = new Dictionary<string, OffsetFetchRequest.OffsetFetchRequestTopics>(StringComparer.Ordinal);
            foreach (TopicPartition tp in partitions)
            {
                if (!byTopic.TryGetValue(tp.Topic, out OffsetFetchRequest.OffsetFetchRequestTopics? t))
                {
                    byTopic[tp.Topic] = t = new OffsetFetchRequest.OffsetFetchRequestTopics { Name = tp.Topic };
                    group.Topics.Add(t);
                }

                t.PartitionIndexes.Add(tp.Partition);
            }

            request.Groups.Add(group);
            return request;
        }

        request.GroupId = GroupId;
        request.Topics = [];
        var topics = new Dictionary<string, OffsetFetchRequest.OffsetFetchRequestTopic>(StringComparer.Ordinal);
        foreach (TopicPartition tp in partitions)
        {
            if (!topics.TryGetValue(tp.Topic, out OffsetFetchRequest.OffsetFetchRequestTopic? t))
            {
                topics[tp.Topic] = t = new OffsetFetchRequest.OffsetFetchRequestTopic { Name = tp.Topic };
                request.Topics.Add(t);
            }

            t.PartitionIndexes.Add(tp.Partition);
        }

        return request;
    }

    /// <summary>The offsets, or null with the retriable error to wait out; throws for other errors.</summary>
    private List<TopicPartitionOffset>? ReadFetch(OffsetFetchResponse response, IReadOnlyList<TopicPartition> partitions, short version,
        out ErrorCode retryable, out string detail)
    {
        var found = new Dictionary<TopicPartition, (long Offset, int Epoch)>();
        ErrorCode groupError;
        ErrorCode partitionError = ErrorCode.None;
        string failed = string.Empty;
        if (version >= 8)
        {
            OffsetFetchResponse.OffsetFetchResponseGroup? group = response.Groups.Find(g => g.GroupId == GroupId);
            if (group is null)
            {
                throw new ProtocolException($"OffsetFetch response has no entry for group '{GroupId}'.");
            }

            groupError = (ErrorCode)group.ErrorCode;
            foreach (OffsetFetchResponse.OffsetFetchResponseTopics t in group.Topics)
            {
                foreach (OffsetFetchResponse.OffsetFetchResponsePartitions p in t.Partitions)
                {
                    Take(t.Name, p.PartitionIndex, p.CommittedOffset, p.CommittedLeaderEpoch, p.ErrorCode);
                }
            }
        }
        else
        {
            groupError = (ErrorCode)response.ErrorCode;
            foreach (OffsetFetchResponse.OffsetFetchResponseTopic t in response.Topics)
            {
                foreach (OffsetFetchResponse.OffsetFetchResponsePartition p in t.Partitions)
                {
                    Take(t.Name, p.PartitionIndex, p.CommittedOffset, p.CommittedLeaderEpoch, p.ErrorCode);
                }
            }
        }

        ErrorCode error = groupError != ErrorCode.None ? groupError : partitionError;
        if (error != ErrorCode.None)
        {
            if (IsCoordinatorTrouble(error) || error == ErrorCode.UnstableOffsetCommit)
            {
                retryable = error;
                detail = error.Describe();
                return null;
            }

            throw new KafkaException(error, $"Reading committed offsets of group '{GroupId}' failed{failed}: {error.Describe()}");
        }

        retryable = ErrorCode.None;
        detail = string.Empty;
        var result = new List<TopicPartitionOffset>(partitions.Count);
        foreach (TopicPartition tp in partitions)
        {
            result.Add(found.TryGetValue(tp, out var o) && o.Offset >= 0
                ? new TopicPartitionOffset(tp, o.Offset, o.Epoch)
                : new TopicPartitionOffset(tp, Offset.Unset));
        }

        return result;

        void Take(string topic, int partition, long offset, int epoch, short code)
        {
            var e = (ErrorCode)code;
            if (e != ErrorCode.None && e != ErrorCode.UnknownTopicOrPartition && partitionError == ErrorCode.None)
            {
                partitionError = e;
                failed = $" for {topic} [{partition}]";
            }

            found[new TopicPartition(topic, partition)] = (offset, epoch);
        }
    }

    private async ValueTask<KafkaConnection> CoordinatorAsync(CancellationToken cancellationToken)
    {
        BrokerNode node = await _cluster.FindCoordinatorAsync(CoordinatorType.Group, GroupId, cancellationToken).ConfigureAwait(false);
        return await _cluster.GetConnectionAsync(node, cancellationToken, ConnectionPurpose.Coordinator).ConfigureAwait(false);
    }

    private async Task DelayAsync(ErrorCode error, string detail, string what, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_retryBackoff, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new KafkaException(error == ErrorCode.None ? ErrorCode.LocalTimedOut : error,
                $"Timed out {what} for group '{GroupId}'; last error: {detail}");
        }
    }

    private static bool IsCoordinatorTrouble(ErrorCode error) => error is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable
        or ErrorCode.CoordinatorLoadInProgress or ErrorCode.NetworkException or ErrorCode.LocalTransport or ErrorCode.RequestTimedOut
        or ErrorCode.LocalAllBrokersDown or ErrorCode.BrokerNotAvailable or ErrorCode.LocalProtocol;
}
