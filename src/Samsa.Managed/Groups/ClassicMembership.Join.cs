using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Groups;

internal sealed partial class ClassicMembership
{
    private async Task JoinAndSyncAsync(TopicSubscription subscription, int subscriptionVersion, string reason, CancellationToken stop)
    {
        int rejoinRequests = Volatile.Read(ref _rejoinRequests);
        KafkaConnection connection = await Coordinator.ConnectAsync(stop).ConfigureAwait(false);
        SortedSet<string> topics = subscription.Resolve(Cluster.Metadata);
        JoinGroupResponse join;
        short joinVersion;
        try
        {
            joinVersion = connection.ResolveVersion(ApiKey.JoinGroup);
            if (Settings.IsStatic && joinVersion < 5)
            {
                Fail(new KafkaException(ErrorCode.UnsupportedVersion,
                    $"group.instance.id needs JoinGroup v5+ (KIP-345); the coordinator {connection.Name} supports at most v{joinVersion}."));
                return;
            }

            JoinGroupRequest request = BuildJoin(topics, reason, joinVersion);
            _inBlockingRequest = true;
            var (response, failed) = await LenientResponses.SendAsync<JoinGroupRequest, JoinGroupResponse>(
                connection, request, joinVersion, 2, BlockingTimeout, stop).ConfigureAwait(false);
            join = response ?? new JoinGroupResponse { ErrorCode = (short)failed };
        }
        catch (KafkaException ex) when (GroupCoordinator.IsTransportError(ex) && !stop.IsCancellationRequested)
        {
            Coordinator.Invalidate(ex.Message);
            await BackoffAsync(stop).ConfigureAwait(false);
            return;
        }
        finally
        {
            _inBlockingRequest = false;
        }

        var error = (ErrorCode)join.ErrorCode;
        if (error != ErrorCode.None)
        {
            await OnJoinErrorAsync(error, join, stop).ConfigureAwait(false);
            return;
        }

        bool leader = join.Leader == join.MemberId;
        _state = new MemberState(join.MemberId, join.GenerationId, join.ProtocolName, leader);
        GroupLog.Joined(Logger, GroupId, join.GenerationId, join.MemberId, join.Leader, join.ProtocolName);
        IPartitionAssignor? assignor = FindAssignor(join.ProtocolName);
        if (assignor is null)
        {
            Emit(GroupEventKind.Error, [], join.GenerationId, new KafkaException(ErrorCode.InconsistentGroupProtocol,
                $"Group '{GroupId}' chose protocol '{join.ProtocolName}', which this member did not offer."));
            ResetMember(resetMemberId: false, "the group chose a protocol this member did not offer");
            await BackoffAsync(stop).ConfigureAwait(false);
            return;
        }

        List<SyncGroupRequest.SyncGroupRequestAssignment> assignments = [];
        if (leader && !join.SkipAssignment)
        {
            // Followers get a head start: a broker holds their SyncGroup until the leader's arrives anyway, but
            // librdkafka's mock cluster completes the round on the leader's and refuses followers that come later.
            Task headStart = join.Members.Count > 1 ? Task.Delay(LeaderSyncHeadStart, stop) : Task.CompletedTask;
            assignments = await LeaderAssignAsync(join.Members, assignor, stop).ConfigureAwait(false);
            await headStart.ConfigureAwait(false);
        }

        await SyncAsync(connection, assignor, assignments, topics, subscriptionVersion, stop).ConfigureAwait(false);
        if (_state.Generation == join.GenerationId && Volatile.Read(ref _rejoinRequests) == rejoinRequests)
        {
            _rejoinReason = null; // nothing asked for another rejoin while this one ran
        }
    }

    /// <summary>How long a leader of several members waits (while it assigns) before its SyncGroup.</summary>
    internal static readonly TimeSpan LeaderSyncHeadStart = TimeSpan.FromMilliseconds(100);

    /// <summary>JoinGroup and SyncGroup may wait for the whole group: up to the rebalance timeout, plus slack.</summary>
    private TimeSpan BlockingTimeout
    {
        get
        {
            TimeSpan rebalance = Settings.MaxPollInterval + TimeSpan.FromSeconds(5);
            return rebalance > Settings.RequestTimeout ? rebalance : Settings.RequestTimeout;
        }
    }

    private JoinGroupRequest BuildJoin(SortedSet<string> topics, string reason, short version)
    {
        var request = new JoinGroupRequest
        {
            GroupId = GroupId,
            SessionTimeoutMs = (int)Settings.SessionTimeout.TotalMilliseconds,
            RebalanceTimeoutMs = (int)Settings.MaxPollInterval.TotalMilliseconds,
            MemberId = _state.MemberId,
            GroupInstanceId = version >= 5 ? Settings.GroupInstanceId : null,
            ProtocolType = ConsumerProtocol.ProtocolType,
            Reason = version >= 8 ? reason : null,
        };

        string[] topicList = [.. topics];
        foreach (IPartitionAssignor assignor in _assignors)
        {
            bool cooperative = assignor.Protocol == RebalanceProtocol.Cooperative;
            IReadOnlyList<TopicPartition> owned = cooperative ? _owned.ToArray() : [];
            int generation = cooperative && _owned.Count > 0 ? _ownedGeneration : -1;
            var subscription = new MemberSubscription(
                topicList,
                assignor.SubscriptionUserData(owned, cooperative ? _ownedGeneration : -1),
                owned,
                generation,
                Settings.RackId ?? string.Empty, // as librdkafka: an empty rack, not null, when client.rack is unset
                ConsumerProtocol.SubscriptionVersion);
            request.Protocols.Add(new JoinGroupRequest.JoinGroupRequestProtocol
            {
                Name = assignor.Name,
                Metadata = ConsumerProtocol.EncodeSubscription(subscription),
            });
        }

        return request;
    }

    private async Task OnJoinErrorAsync(ErrorCode error, JoinGroupResponse join, CancellationToken stop)
    {
        switch (error)
        {
            case ErrorCode.MemberIdRequired:
                // KIP-394: the coordinator gave us an id; join again with it, right away.
                _state = _state with { MemberId = join.MemberId };
                return;
            case ErrorCode.UnknownMemberId:
                ResetMember(resetMemberId: true, "the coordinator forgot the member (UNKNOWN_MEMBER_ID)");
                return;
            case ErrorCode.IllegalGeneration:
                ResetMember(resetMemberId: false, "the generation ended (ILLEGAL_GENERATION)");
                return;
            case ErrorCode.RebalanceInProgress:
                return;
            case ErrorCode.NotCoordinator:
            case ErrorCode.CoordinatorNotAvailable:
                Coordinator.Invalidate(error.Name());
                await BackoffAsync(stop).ConfigureAwait(false);
                return;
            case ErrorCode.CoordinatorLoadInProgress:
                await BackoffAsync(stop).ConfigureAwait(false);
                return;
            case ErrorCode.FencedInstanceId:
                Fail(new KafkaException(error, $"Another consumer joined group '{GroupId}' with group.instance.id '{Settings.GroupInstanceId}': this member is fenced."));
                return;
            default:
                GroupLog.OperationFailed(Logger, GroupId, "JoinGroup", error.Name());
                Emit(GroupEventKind.Error, [], _state.Generation, new KafkaException(error, $"Joining group '{GroupId}' failed: {error.Describe()}"));
                await Task.Delay(Settings.RetryBackoffMax, stop).ConfigureAwait(false);
                return;
        }
    }

    private IPartitionAssignor? FindAssignor(string? name)
    {
        foreach (IPartitionAssignor a in _assignors)
        {
            if (a.Name == name)
            {
                return a;
            }
        }

        return null;
    }

    private async Task SyncAsync(
        KafkaConnection connection,
        IPartitionAssignor assignor,
        List<SyncGroupRequest.SyncGroupRequestAssignment> assignments,
        SortedSet<string> topics,
        int subscriptionVersion,
        CancellationToken stop)
    {
        MemberState state = _state;
        SyncGroupResponse sync;
        try
        {
            short version = connection.ResolveVersion(ApiKey.SyncGroup);
            var request = new SyncGroupRequest
            {
                GroupId = GroupId,
                GenerationId = state.Generation,
                MemberId = state.MemberId,
                GroupInstanceId = version >= 3 ? Settings.GroupInstanceId : null,
                ProtocolType = version >= 5 ? ConsumerProtocol.ProtocolType : null,
                ProtocolName = version >= 5 ? assignor.Name : null,
                Assignments = assignments,
            };
            _inBlockingRequest = true;
            var (response, failed) = await LenientResponses.SendAsync<SyncGroupRequest, SyncGroupResponse>(
                connection, request, version, 1, BlockingTimeout, stop).ConfigureAwait(false);
            sync = response ?? new SyncGroupResponse { ErrorCode = (short)failed };
        }
        catch (KafkaException ex) when (GroupCoordinator.IsTransportError(ex) && !stop.IsCancellationRequested)
        {
            // Without the SyncGroup answer the member has no assignment for this generation: join again.
            Coordinator.Invalidate(ex.Message);
            RequestRejoin($"SyncGroup failed: {ex.Message}");
            await BackoffAsync(stop).ConfigureAwait(false);
            return;
        }
        finally
        {
            _inBlockingRequest = false;
        }

        var error = (ErrorCode)sync.ErrorCode;
        if (error != ErrorCode.None)
        {
            await OnSyncErrorAsync(error, stop).ConfigureAwait(false);
            return;
        }

        MemberAssignment assignment;
        try
        {
            assignment = ConsumerProtocol.DecodeAssignment(sync.Assignment ?? []);
        }
        catch (ProtocolException ex)
        {
            Emit(GroupEventKind.Error, [], state.Generation, new KafkaException(ErrorCode.LocalBadMsg, $"Group '{GroupId}' sent an assignment that does not decode: {ex.Message}", ex));
            RequestRejoin("the assignment did not decode");
            await BackoffAsync(stop).ConfigureAwait(false);
            return;
        }

        _failures = 0;
        _resetReason = null;
        _joinedSubscriptionVersion = subscriptionVersion;
        _joinedTopics = topics;
        _nextHeartbeat = Environment.TickCount64 + (long)Settings.HeartbeatInterval.TotalMilliseconds;
        ApplyAssignment(assignment.Partitions, state.Generation);
    }

    private async Task OnSyncErrorAsync(ErrorCode error, CancellationToken stop)
    {
        switch (error)
        {
            case ErrorCode.RebalanceInProgress:
                RequestRejoin("the group is rebalancing again");
                return;
            case ErrorCode.UnknownMemberId:
                ResetMember(resetMemberId: true, "the coordinator forgot the member (UNKNOWN_MEMBER_ID)");
                return;
            case ErrorCode.IllegalGeneration:
                ResetMember(resetMemberId: false, "the generation ended (ILLEGAL_GENERATION)");
                return;
            case ErrorCode.NotCoordinator:
            case ErrorCode.CoordinatorNotAvailable:
                Coordinator.Invalidate(error.Name());
                RequestRejoin("the coordinator moved");
                await BackoffAsync(stop).ConfigureAwait(false);
                return;
            case ErrorCode.FencedInstanceId:
                Fail(new KafkaException(error, $"Another consumer joined group '{GroupId}' with group.instance.id '{Settings.GroupInstanceId}': this member is fenced."));
                return;
            default:
                GroupLog.OperationFailed(Logger, GroupId, "SyncGroup", error.Name());
                RequestRejoin($"SyncGroup failed with {error.Name()}");
                await BackoffAsync(stop).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// Hands the new assignment to the consumer. Eager: everything was revoked before joining, so it is all new.
    /// Cooperative: what is no longer assigned is revoked first (and a rejoin follows its acknowledgment, so that
    /// the partitions can move), then what is new is assigned.
    /// </summary>
    private void ApplyAssignment(IReadOnlyList<TopicPartition> assigned, int generation)
    {
        var distinct = new List<TopicPartition>(assigned.Count);
        var assignedSet = new HashSet<TopicPartition>(assigned.Count);
        foreach (TopicPartition tp in assigned)
        {
            if (assignedSet.Add(tp))
            {
                distinct.Add(tp);
            }
        }

        var revoked = _owned.FindAll(tp => !assignedSet.Contains(tp));
        if (revoked.Count > 0)
        {
            Emit(GroupEventKind.Revoked, TakeOwned(revoked), generation);
        }

        var owned = new HashSet<TopicPartition>(_owned);
        var added = distinct.FindAll(tp => !owned.Contains(tp));
        _owned.AddRange(added);
        _ownedGeneration = generation;
        _joinsToComplete = revoked.Count > 0 ? 1 : 0;
        GroupLog.Assigned(Logger, GroupId, _owned.Count, generation, string.Join(", ", _owned));
        Emit(GroupEventKind.Assigned, added, generation);
    }
}
