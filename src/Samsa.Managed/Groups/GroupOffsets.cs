using System.Text;
using Microsoft.Extensions.Logging;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Groups;

/// <summary>Who commits: the generation (classic) or member epoch (KIP-848), the member id and the static id.</summary>
internal readonly record struct CommitIdentity(int GenerationOrEpoch, string MemberId, string? GroupInstanceId);

/// <summary>
/// OffsetCommit and OffsetFetch against the group coordinator, retried (with backoff, within request.timeout.ms
/// and the caller's token) when the coordinator moves, loads, or the connection drops.
/// </summary>
internal sealed partial class GroupOffsets
{
    private readonly GroupCoordinator _coordinator;
    private readonly GroupSettings _settings;
    private readonly ILogger _logger;

    public GroupOffsets(GroupCoordinator coordinator, GroupSettings settings, ILogger logger)
    {
        _coordinator = coordinator;
        _settings = settings;
        _logger = logger;
    }

    /// <summary>Raised when a commit learns that the group is rebalancing (the membership then rejoins).</summary>
    public event Action<ErrorCode>? MembershipChangeSeen;

    public async ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, CommitIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var remaining = new List<TopicPartitionOffset>(offsets);
        long deadline = Environment.TickCount64 + (long)_settings.RequestTimeout.TotalMilliseconds;
        int attempt = 0;
        KafkaException? last = null;
        while (remaining.Count > 0)
        {
            if (attempt > 0)
            {
                if (Environment.TickCount64 >= deadline)
                {
                    throw new KafkaException(last?.Error ?? ErrorCode.LocalTimedOut,
                        $"Committing offsets for group '{_settings.GroupId}' did not succeed within request.timeout.ms: {last?.Reason}", last);
                }

                await Task.Delay(_coordinator.Backoff(attempt - 1), cancellationToken).ConfigureAwait(false);
            }

            attempt++;
            OffsetCommitResponse response;
            try
            {
                KafkaConnection connection = await _coordinator.ConnectAsync(cancellationToken).ConfigureAwait(false);
                short version = connection.ResolveVersion(ApiKey.OffsetCommit);
                response = await connection.SendAsync<OffsetCommitRequest, OffsetCommitResponse>(
                    BuildCommit(remaining, identity, version), cancellationToken, version).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (GroupCoordinator.IsTransportError(ex) && !cancellationToken.IsCancellationRequested)
            {
                _coordinator.Invalidate(ex.Message);
                last = ex;
                continue;
            }

            last = CheckCommit(response, remaining);
        }
    }

    /// <summary>Removes what succeeded from <paramref name="remaining"/>; throws for final errors; returns the retry reason.</summary>
    private KafkaException? CheckCommit(OffsetCommitResponse response, List<TopicPartitionOffset> remaining)
    {
        var errors = new Dictionary<TopicPartition, ErrorCode>();
        foreach (OffsetCommitResponse.OffsetCommitResponseTopic t in response.Topics)
        {
            foreach (OffsetCommitResponse.OffsetCommitResponsePartition p in t.Partitions)
            {
                errors[new TopicPartition(t.Name, p.PartitionIndex)] = (ErrorCode)p.ErrorCode;
            }
        }

        var final = new List<(TopicPartition, ErrorCode)>();
        var retry = new List<TopicPartitionOffset>();
        ErrorCode retryError = ErrorCode.None;
        foreach (TopicPartitionOffset tpo in remaining)
        {
            if (!errors.TryGetValue(tpo.TopicPartition, out ErrorCode error))
            {
                final.Add((tpo.TopicPartition, ErrorCode.UnknownServerError));
            }
            else if (error == ErrorCode.None)
            {
                continue;
            }
            else if (GroupErrors.IsRetryable(error))
            {
                retryError = error;
                retry.Add(tpo);
            }
            else
            {
                final.Add((tpo.TopicPartition, error));
            }
        }

        if (GroupCoordinator.IsCoordinatorError(retryError))
        {
            _coordinator.Invalidate(retryError.Name());
        }

        if (final.Count > 0)
        {
            ErrorCode first = final[0].Item2;
            if (first is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.FencedMemberEpoch)
            {
                MembershipChangeSeen?.Invoke(first);
            }

            throw GroupErrors.For(first, $"Committing offsets for group '{_settings.GroupId}' failed: {Describe(final)}");
        }

        remaining.Clear();
        remaining.AddRange(retry);
        if (retry.Count == 0)
        {
            return null;
        }

        GroupLog.OperationFailed(_logger, _settings.GroupId, "OffsetCommit", $"{retryError.Name()} for {retry.Count} partition(s); retrying");
        return new KafkaException(retryError, $"{retryError.Name()} for {retry.Count} partition(s)");
    }

    private OffsetCommitRequest BuildCommit(List<TopicPartitionOffset> offsets, CommitIdentity identity, short version)
    {
        var request = new OffsetCommitRequest
        {
            GroupId = _settings.GroupId,
            GenerationIdOrMemberEpoch = identity.GenerationOrEpoch,
            MemberId = identity.MemberId,
            GroupInstanceId = version >= 7 ? identity.GroupInstanceId : null,
            RetentionTimeMs = -1,
        };
        var byTopic = new Dictionary<string, OffsetCommitRequest.OffsetCommitRequestTopic>(StringComparer.Ordinal);
        foreach (TopicPartitionOffset tpo in offsets)
        {
            if (!byTopic.TryGetValue(tpo.Topic, out OffsetCommitRequest.OffsetCommitRequestTopic? topic))
            {
                topic = new OffsetCommitRequest.OffsetCommitRequestTopic { Name = tpo.Topic };
                byTopic[tpo.Topic] = topic;
                request.Topics.Add(topic);
            }

            topic.Partitions.Add(new OffsetCommitRequest.OffsetCommitRequestPartition
            {
                PartitionIndex = tpo.Partition,
                CommittedOffset = tpo.Offset.Value,
                CommittedLeaderEpoch = tpo.LeaderEpoch,
                CommittedMetadata = string.Empty, // the Java client's default metadata
            });
        }

        return request;
    }

    internal static string Describe(IReadOnlyList<(TopicPartition Partition, ErrorCode Error)> errors)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < errors.Count && i < 20; i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(errors[i].Partition.ToString()).Append(": ").Append(errors[i].Error.Name());
        }

        if (errors.Count > 20)
        {
            sb.Append(", and ").Append(errors.Count - 20).Append(" more");
        }

        return sb.ToString();
    }
}
