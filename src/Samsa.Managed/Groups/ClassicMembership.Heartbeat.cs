using Samsa.Cluster;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Groups;

internal sealed partial class ClassicMembership
{
    private async Task HeartbeatIfDueAsync(CancellationToken stop)
    {
        MemberState state = _state;
        if (state.Generation < 0 || Environment.TickCount64 < _nextHeartbeat)
        {
            return;
        }

        _nextHeartbeat = Environment.TickCount64 + (long)Settings.HeartbeatInterval.TotalMilliseconds;
        if (HeartbeatsSuspended)
        {
            return;
        }

        HeartbeatResponse response;
        try
        {
            KafkaConnection connection = await Coordinator.ConnectAsync(stop).ConfigureAwait(false);
            short version = connection.ResolveVersion(ApiKey.Heartbeat);
            var request = new HeartbeatRequest
            {
                GroupId = GroupId,
                GenerationId = state.Generation,
                MemberId = state.MemberId,
                GroupInstanceId = version >= 3 ? Settings.GroupInstanceId : null,
            };
            response = await connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(request, stop, version).ConfigureAwait(false);
        }
        catch (KafkaException ex) when (GroupCoordinator.IsTransportError(ex) && !stop.IsCancellationRequested)
        {
            Coordinator.Invalidate(ex.Message);
            _nextHeartbeat = Environment.TickCount64 + (long)Coordinator.Backoff(_failures++).TotalMilliseconds;
            return;
        }

        if (_state != state)
        {
            return; // the membership changed while the heartbeat was out
        }

        var error = (ErrorCode)response.ErrorCode;
        switch (error)
        {
            case ErrorCode.None:
                _failures = 0;
                return;
            case ErrorCode.RebalanceInProgress:
                RequestRejoin("the group is rebalancing");
                return;
            case ErrorCode.IllegalGeneration:
                GroupLog.Rejoining(Logger, GroupId, $"generation {state.Generation} is no longer the group's (ILLEGAL_GENERATION)");
                ResetMember(resetMemberId: false, "the generation ended (ILLEGAL_GENERATION)");
                return;
            case ErrorCode.UnknownMemberId:
                GroupLog.Rejoining(Logger, GroupId, $"the coordinator does not know member {state.MemberId} (UNKNOWN_MEMBER_ID)");
                ResetMember(resetMemberId: true, "the coordinator forgot the member (UNKNOWN_MEMBER_ID)");
                return;
            case ErrorCode.FencedInstanceId:
                Fail(new KafkaException(error, $"Another consumer joined group '{GroupId}' with group.instance.id '{Settings.GroupInstanceId}': this member is fenced."));
                return;
            case ErrorCode.NotCoordinator:
            case ErrorCode.CoordinatorNotAvailable:
                Coordinator.Invalidate(error.Name());
                _nextHeartbeat = Environment.TickCount64 + (long)Coordinator.Backoff(_failures++).TotalMilliseconds;
                return;
            case ErrorCode.CoordinatorLoadInProgress:
                _nextHeartbeat = Environment.TickCount64 + (long)Coordinator.Backoff(_failures++).TotalMilliseconds;
                return;
            default:
                GroupLog.OperationFailed(Logger, GroupId, "Heartbeat", error.Name());
                Emit(GroupEventKind.Error, [], state.Generation, new KafkaException(error, $"Heartbeat to group '{GroupId}' failed: {error.Describe()}"));
                return;
        }
    }

    /// <summary>The consumer did not poll in time: leave (a dynamic member), report what it owned as lost, wait for the next poll.</summary>
    private async Task LeaveForMissedPollAsync(CancellationToken stop)
    {
        GroupLog.MaxPollExceeded(Logger, GroupId, (long)Settings.MaxPollInterval.TotalMilliseconds, _owned.Count);
        await SendLeaveGroupAsync("consumer poll timeout has expired (max.poll.interval.ms)", stop).ConfigureAwait(false);
        int generation = _ownedGeneration;
        ResetMember(resetMemberId: true, "max.poll.interval.ms was exceeded");
        if (_owned.Count > 0)
        {
            Emit(GroupEventKind.Lost, TakeOwned(_owned.ToArray()), generation);
        }
        else
        {
            Emit(GroupEventKind.Error, [], -1, new KafkaException(ErrorCode.LocalMaxPollExceeded,
                $"The application did not poll within max.poll.interval.ms ({Settings.MaxPollInterval.TotalMilliseconds} ms); the member left group '{GroupId}'."));
        }
    }

    /// <summary>LeaveGroup for a dynamic member (v3+ in the batched member form); a static member never leaves.</summary>
    private async Task SendLeaveGroupAsync(string reason, CancellationToken cancellationToken)
    {
        MemberState state = _state;
        if (Settings.IsStatic || state.MemberId.Length == 0)
        {
            return;
        }

        GroupLog.Leaving(Logger, GroupId, state.MemberId);
        try
        {
            KafkaConnection connection = await Coordinator.ConnectAsync(cancellationToken).ConfigureAwait(false);
            short version = connection.ResolveVersion(ApiKey.LeaveGroup);
            var request = new LeaveGroupRequest { GroupId = GroupId };
            if (version >= 3)
            {
                request.Members.Add(new LeaveGroupRequest.MemberIdentity { MemberId = state.MemberId, Reason = version >= 5 ? reason : null });
            }
            else
            {
                request.MemberId = state.MemberId;
            }

            LeaveGroupResponse response = await connection.SendAsync<LeaveGroupRequest, LeaveGroupResponse>(request, cancellationToken, version).ConfigureAwait(false);
            var error = (ErrorCode)response.ErrorCode;
            if (error == ErrorCode.None && response.Members.Count > 0)
            {
                error = (ErrorCode)response.Members[0].ErrorCode;
            }

            if (error != ErrorCode.None)
            {
                GroupLog.OperationFailed(Logger, GroupId, "LeaveGroup", error.Name());
            }
        }
        catch (Exception ex) when (ex is KafkaException or ObjectDisposedException)
        {
            GroupLog.OperationFailed(Logger, GroupId, "LeaveGroup", ex.Message);
        }
    }

    protected override async Task LeaveGroupAsync(bool loopWasBusy, CancellationToken cancellationToken)
    {
        if (loopWasBusy && Coordinator.Node is { } node)
        {
            // A JoinGroup or SyncGroup was cut short: its connection may be held until the group answers it.
            Cluster.TryGetConnected(node.NodeId, ConnectionPurpose.Coordinator)?.Close(
                new KafkaException(ErrorCode.LocalDestroy, "The member is leaving the group."));
        }

        await SendLeaveGroupAsync("the consumer is being closed", cancellationToken).ConfigureAwait(false);
        ResetMember(resetMemberId: true);
    }
}
