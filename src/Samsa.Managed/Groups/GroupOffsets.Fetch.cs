using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Groups;

internal sealed partial class GroupOffsets
{
    /// <summary>
    /// The committed offsets of <paramref name="partitions"/>, in their order; <see cref="Offset.Unset"/> where
    /// none is committed. v8+ sends the batched Groups form, older versions the single-group form; read_committed
    /// asks for stable offsets (v7+), and UNSTABLE_OFFSET_COMMIT is waited out.
    /// </summary>
    public async ValueTask<IReadOnlyList<TopicPartitionOffset>> FetchAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (partitions.Count == 0)
        {
            return [];
        }

        long deadline = Environment.TickCount64 + (long)_settings.RequestTimeout.TotalMilliseconds;
        int attempt = 0;
        KafkaException? last = null;
        while (true)
        {
            if (attempt > 0)
            {
                if (Environment.TickCount64 >= deadline)
                {
                    throw new KafkaException(last?.Error ?? ErrorCode.LocalTimedOut,
                        $"Fetching committed offsets for group '{_settings.GroupId}' did not succeed within request.timeout.ms: {last?.Reason}", last);
                }

                await Task.Delay(_coordinator.Backoff(attempt - 1), cancellationToken).ConfigureAwait(false);
            }

            attempt++;
            try
            {
                KafkaConnection connection = await _coordinator.ConnectAsync(cancellationToken).ConfigureAwait(false);
                short version = connection.ResolveVersion(ApiKey.OffsetFetch);
                OffsetFetchResponse response = await connection.SendAsync<OffsetFetchRequest, OffsetFetchResponse>(
                    BuildFetch(partitions, version), cancellationToken, version).ConfigureAwait(false);
                if (TryReadFetch(response, version, partitions, out IReadOnlyList<TopicPartitionOffset>? result, out last))
                {
                    return result;
                }
            }
            catch (KafkaException ex) when (GroupCoordinator.IsTransportError(ex) && !cancellationToken.IsCancellationRequested)
            {
                _coordinator.Invalidate(ex.Message);
                last = ex;
            }
        }
    }

    private OffsetFetchRequest BuildFetch(IReadOnlyList<TopicPartition> partitions, short version)
    {
        var topics = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (TopicPartition tp in partitions)
        {
            if (!topics.TryGetValue(tp.Topic, out List<int>? list))
            {
                topics[tp.Topic] = list = [];
                order.Add(tp.Topic);
            }

            if (!list.Contains(tp.Partition))
            {
                list.Add(tp.Partition);
            }
        }

        var request = new OffsetFetchRequest { RequireStable = version >= 7 && _settings.RequireStableOffsets };
        if (version >= 8)
        {
            var group = new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = _settings.GroupId, MemberId = null, MemberEpoch = -1, Topics = [] };
            foreach (string topic in order)
            {
                group.Topics.Add(new OffsetFetchRequest.OffsetFetchRequestTopics { Name = topic, PartitionIndexes = topics[topic] });
            }

            request.Groups.Add(group);
        }
        else
        {
            request.GroupId = _settings.GroupId;
            request.Topics = [];
            foreach (string topic in order)
            {
                request.Topics.Add(new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic, PartitionIndexes = topics[topic] });
            }
        }

        return request;
    }

    /// <summary>Reads a response: true with the result, false with the reason to retry; throws for final errors.</summary>
    private bool TryReadFetch(
        OffsetFetchResponse response,
        short version,
        IReadOnlyList<TopicPartition> partitions,
        out IReadOnlyList<TopicPartitionOffset> result,
        out KafkaException? retry)
    {
        result = [];
        retry = null;
        var found = new Dictionary<TopicPartition, (long Offset, int Epoch, ErrorCode Error)>();
        ErrorCode groupError;
        if (version >= 8)
        {
            OffsetFetchResponse.OffsetFetchResponseGroup? group = response.Groups.Find(g => g.GroupId == _settings.GroupId);
            if (group is null)
            {
                throw new ProtocolException($"OffsetFetch response has no entry for group '{_settings.GroupId}'.");
            }

            groupError = (ErrorCode)group.ErrorCode;
            foreach (OffsetFetchResponse.OffsetFetchResponseTopics t in group.Topics)
            {
                foreach (OffsetFetchResponse.OffsetFetchResponsePartitions p in t.Partitions)
                {
                    found[new TopicPartition(t.Name, p.PartitionIndex)] = (p.CommittedOffset, p.CommittedLeaderEpoch, (ErrorCode)p.ErrorCode);
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
                    found[new TopicPartition(t.Name, p.PartitionIndex)] = (p.CommittedOffset, p.CommittedLeaderEpoch, (ErrorCode)p.ErrorCode);
                }
            }
        }

        if (groupError != ErrorCode.None)
        {
            return RetryOrThrow(groupError, $"Fetching committed offsets for group '{_settings.GroupId}' failed: {groupError.Name()}", out retry);
        }

        var offsets = new TopicPartitionOffset[partitions.Count];
        var failed = new List<(TopicPartition, ErrorCode)>();
        ErrorCode retryable = ErrorCode.None;
        for (int i = 0; i < partitions.Count; i++)
        {
            TopicPartition tp = partitions[i];
            if (!found.TryGetValue(tp, out var entry))
            {
                offsets[i] = new TopicPartitionOffset(tp, Offset.Unset);
                continue;
            }

            if (entry.Error != ErrorCode.None)
            {
                if (GroupErrors.IsRetryable(entry.Error))
                {
                    retryable = entry.Error;
                }
                else
                {
                    failed.Add((tp, entry.Error));
                }

                continue;
            }

            offsets[i] = new TopicPartitionOffset(tp, entry.Offset < 0 ? Offset.Unset : new Offset(entry.Offset), entry.Offset < 0 ? -1 : entry.Epoch);
        }

        if (failed.Count > 0)
        {
            throw GroupErrors.For(failed[0].Item2, $"Fetching committed offsets for group '{_settings.GroupId}' failed: {Describe(failed)}");
        }

        if (retryable != ErrorCode.None)
        {
            return RetryOrThrow(retryable, $"{retryable.Name()} for some partitions", out retry);
        }

        result = offsets;
        return true;
    }

    private bool RetryOrThrow(ErrorCode error, string message, out KafkaException? retry)
    {
        if (!GroupErrors.IsRetryable(error))
        {
            throw GroupErrors.For(error, message);
        }

        if (GroupCoordinator.IsCoordinatorError(error))
        {
            _coordinator.Invalidate(error.Name());
        }

        retry = new KafkaException(error, message);
        return false;
    }
}
