using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Groups;

internal sealed partial class ConsumerGroupMembership
{
    /// <summary>
    /// Sends a heartbeat when one is due (or at once when <paramref name="urgent"/>). What the member owns is
    /// reported only when <paramref name="mayReport"/>: not while the consumer has not yet applied a change.
    /// </summary>
    private async Task HeartbeatIfDueAsync(TopicSubscription subscription, int version, bool urgent, CancellationToken stop, bool mayReport = true)
    {
        if (!urgent && Environment.TickCount64 < _nextHeartbeat)
        {
            return;
        }

        if (urgent && _failures > 0 && Environment.TickCount64 < _nextHeartbeat)
        {
            return; // backing off after an error
        }

        // Epoch 0 is a join: the coordinator needs the whole subscription again (it may answer a join with epoch 0
        // while the partitions it means to assign are still being revoked elsewhere).
        bool full = !_joined || _epoch == 0 || _sendFull || version != _sentSubscriptionVersion;
        HashSet<TopicPartition>? owned = [.. _owned];
        bool reportOwned = !_joined || full || _reported is null || !_reported.SetEquals(owned);
        if (!mayReport)
        {
            // A full request still says what the broker last heard, so that it does not read "nothing owned".
            owned = _reported;
            reportOwned = full && owned is not null;
        }

        ConsumerGroupHeartbeatResponse response;
        try
        {
            KafkaConnection connection = await Coordinator.ConnectAsync(stop).ConfigureAwait(false);
            if (!connection.ApiVersions.Supports(ApiKey.ConsumerGroupHeartbeat))
            {
                Fail(new KafkaException(ErrorCode.UnsupportedVersion,
                    $"group.protocol=consumer needs ConsumerGroupHeartbeat (KIP-848, Kafka 4.0+); the coordinator {connection.Name} does not support it. Use group.protocol=classic."));
                return;
            }

            short v = connection.ResolveVersion(ApiKey.ConsumerGroupHeartbeat);
            if (full && subscription.HasPatterns && v < 1)
            {
                Fail(new KafkaException(ErrorCode.UnsupportedVersion,
                    $"Regex subscriptions with group.protocol=consumer need ConsumerGroupHeartbeat v1+; the coordinator {connection.Name} supports v{v}."));
                return;
            }

            ConsumerGroupHeartbeatRequest request = BuildHeartbeat(subscription, full, reportOwned ? owned : null);
            _nextHeartbeat = Environment.TickCount64 + (long)Settings.HeartbeatInterval.TotalMilliseconds;
            response = await connection.SendAsync<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>(request, stop, v).ConfigureAwait(false);
        }
        catch (KafkaException ex) when (GroupCoordinator.IsTransportError(ex) && !stop.IsCancellationRequested)
        {
            Coordinator.Invalidate(ex.Message);
            _sendFull = true;
            _nextHeartbeat = Environment.TickCount64 + (long)Coordinator.Backoff(_failures++).TotalMilliseconds;
            return;
        }

        var error = (ErrorCode)response.ErrorCode;
        if (error == ErrorCode.None)
        {
            OnHeartbeatSucceeded(response, full ? version : -1, reportOwned ? owned : null);
            return;
        }

        OnHeartbeatFailed(error, response.ErrorMessage);
    }

    private ConsumerGroupHeartbeatRequest BuildHeartbeat(TopicSubscription subscription, bool full, HashSet<TopicPartition>? owned)
    {
        var request = new ConsumerGroupHeartbeatRequest
        {
            GroupId = GroupId,
            MemberId = _memberId,
            MemberEpoch = _joined ? _epoch : 0,
        };

        if (full)
        {
            request.InstanceId = Settings.GroupInstanceId;
            request.RackId = Settings.RackId;
            request.RebalanceTimeoutMs = (int)Settings.MaxPollInterval.TotalMilliseconds;
            request.SubscribedTopicNames = [.. subscription.Names];

            // Always with the names (empty when there is no regex): the broker takes a null as "unchanged".
            request.SubscribedTopicRegex = subscription.CombinedPattern;
            request.ServerAssignor = Settings.RemoteAssignor;
        }

        if (owned is not null)
        {
            request.TopicPartitions = ToTopicIds(owned);
        }

        return request;
    }

    private List<ConsumerGroupHeartbeatRequest.TopicPartitionsData> ToTopicIds(HashSet<TopicPartition> owned)
    {
        var byTopic = new Dictionary<Guid, ConsumerGroupHeartbeatRequest.TopicPartitionsData>();
        var result = new List<ConsumerGroupHeartbeatRequest.TopicPartitionsData>();
        foreach (TopicPartition tp in owned)
        {
            if (!_topicIds.TryGetValue(tp.Topic, out Guid id) && Cluster.Metadata.Topic(tp.Topic) is { } info)
            {
                id = info.TopicId;
            }

            if (id == Guid.Empty)
            {
                continue; // every owned partition came by id; this cannot happen but must not send a zero id
            }

            if (!byTopic.TryGetValue(id, out ConsumerGroupHeartbeatRequest.TopicPartitionsData? data))
            {
                data = new ConsumerGroupHeartbeatRequest.TopicPartitionsData { TopicId = id };
                byTopic[id] = data;
                result.Add(data);
            }

            data.Partitions.Add(tp.Partition);
        }

        foreach (ConsumerGroupHeartbeatRequest.TopicPartitionsData data in result)
        {
            data.Partitions.Sort();
        }

        return result;
    }

    private void OnHeartbeatSucceeded(ConsumerGroupHeartbeatResponse response, int sentSubscriptionVersion, HashSet<TopicPartition>? reported)
    {
        _failures = 0;
        if (!_joined)
        {
            _joined = true;
            _firstReconcile = true;
        }

        if (!string.IsNullOrEmpty(response.MemberId) && response.MemberId != _memberId)
        {
            _memberId = response.MemberId; // a pre-KIP-1082 coordinator chose the id
        }

        if (response.MemberEpoch != _epoch)
        {
            GroupLog.MemberState(Logger, GroupId, _memberId, response.MemberEpoch, "new member epoch");
        }

        _epoch = response.MemberEpoch;
        _sendFull = false;
        if (sentSubscriptionVersion >= 0)
        {
            _sentSubscriptionVersion = sentSubscriptionVersion;
        }

        if (reported is not null)
        {
            _reported = reported;
        }

        long interval = response.HeartbeatIntervalMs > 0 ? response.HeartbeatIntervalMs : (long)Settings.HeartbeatInterval.TotalMilliseconds;
        _nextHeartbeat = Environment.TickCount64 + interval;
        if (response.Assignment is { } assignment)
        {
            GroupLog.MemberState(Logger, GroupId, _memberId, response.MemberEpoch, $"target assignment of {assignment.TopicPartitions.Sum(t => t.Partitions.Count)} partition(s) received");
            var target = new List<(Guid, List<int>)>(assignment.TopicPartitions.Count);
            foreach (ConsumerGroupHeartbeatResponse.TopicPartitions tp in assignment.TopicPartitions)
            {
                target.Add((tp.TopicId, tp.Partitions));
            }

            _target = target;
            _targetPending = true;
            Wake.Set(); // reconcile now, not at the next heartbeat
        }
        else if (_firstReconcile && _target is null)
        {
            _target = [];
            _targetPending = true;
            Wake.Set();
        }
    }

    private void OnHeartbeatFailed(ErrorCode error, string? message)
    {
        string detail = message is { Length: > 0 } ? $"{error.Name()}: {message}" : error.Describe();
        switch (error)
        {
            case ErrorCode.FencedMemberEpoch:
            case ErrorCode.UnknownMemberId:
                Fence(error);
                return;
            case ErrorCode.NotCoordinator:
            case ErrorCode.CoordinatorNotAvailable:
                Coordinator.Invalidate(error.Name());
                _sendFull = true;
                _nextHeartbeat = Environment.TickCount64 + (long)Coordinator.Backoff(_failures++).TotalMilliseconds;
                return;
            case ErrorCode.CoordinatorLoadInProgress:
            case ErrorCode.RequestTimedOut:
                _nextHeartbeat = Environment.TickCount64 + (long)Coordinator.Backoff(_failures++).TotalMilliseconds;
                return;
            case ErrorCode.FencedInstanceId:
            case ErrorCode.UnreleasedInstanceId:
            case ErrorCode.UnsupportedAssignor:
            case ErrorCode.GroupAuthorizationFailed:
            case ErrorCode.InvalidRequest:
            case ErrorCode.UnsupportedVersion:
            case ErrorCode.GroupMaxSizeReached:
            case ErrorCode.InvalidRegularExpression:
                Fail(new KafkaException(error, $"ConsumerGroupHeartbeat for group '{GroupId}' failed: {detail}"));
                return;
            default:
                GroupLog.OperationFailed(Logger, GroupId, "ConsumerGroupHeartbeat", detail);
                Emit(GroupEventKind.Error, [], _epoch, new KafkaException(error, $"ConsumerGroupHeartbeat for group '{GroupId}' failed: {detail}"));
                _sendFull = true;
                _failures++;
                _nextHeartbeat = Environment.TickCount64 + (long)Settings.RetryBackoffMax.TotalMilliseconds;
                return;
        }
    }

    /// <summary>The leave heartbeat: epoch -1, or -2 for a static member (which keeps its assignment for the session timeout).</summary>
    private async Task SendLeaveAsync(CancellationToken cancellationToken)
    {
        if (!_joined)
        {
            return;
        }

        int epoch = Settings.IsStatic ? StaticLeaveEpoch : LeaveEpoch;
        GroupLog.Leaving(Logger, GroupId, _memberId);
        try
        {
            KafkaConnection connection = await Coordinator.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var request = new ConsumerGroupHeartbeatRequest
            {
                GroupId = GroupId,
                MemberId = _memberId,
                MemberEpoch = epoch,
                InstanceId = Settings.GroupInstanceId,
            };
            ConsumerGroupHeartbeatResponse response = await connection.SendAsync<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>(request, cancellationToken).ConfigureAwait(false);
            if (response.ErrorCode != 0)
            {
                GroupLog.OperationFailed(Logger, GroupId, "leaving (ConsumerGroupHeartbeat)", ((ErrorCode)response.ErrorCode).Name());
            }
        }
        catch (Exception ex) when (ex is KafkaException or ObjectDisposedException)
        {
            GroupLog.OperationFailed(Logger, GroupId, "leaving (ConsumerGroupHeartbeat)", ex.Message);
        }
    }

    protected override async Task LeaveGroupAsync(bool loopWasBusy, CancellationToken cancellationToken)
    {
        await SendLeaveAsync(cancellationToken).ConfigureAwait(false);
        ResetMember();
    }
}
