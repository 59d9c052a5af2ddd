using Microsoft.Extensions.Logging;
using Samsa.Cluster;

namespace Samsa.Groups;

/// <summary>
/// The classic group protocol: FindCoordinator, JoinGroup (with the KIP-394 member-id round), the leader's
/// client-side assignment, SyncGroup, heartbeats, LeaveGroup; eager (range, roundrobin) or cooperative
/// (cooperative-sticky) rebalancing; static membership (KIP-345). One background loop does all of it in order,
/// so the state below is the loop's own except where noted.
/// </summary>
internal sealed partial class ClassicMembership : MembershipBase
{
    private readonly IReadOnlyList<IPartitionAssignor> _assignors;
    private readonly RebalanceProtocol _protocol;

    // Read by other threads: published as one immutable value.
    private volatile MemberState _state = MemberState.None;

    // Set by other threads (metadata refresh, commits, heartbeats): a reason to rejoin.
    private volatile string? _rejoinReason;
    private int _rejoinRequests;

    // After a cooperative assignment that revoked partitions, one more join hands them over (KIP-429).
    private int _joinsToComplete;

    // Why the generation was dropped, for the next JoinGroup's reason (v8+).
    private string? _resetReason;

    private readonly List<TopicPartition> _owned = [];
    private int _ownedGeneration = -1;
    private int _joinedSubscriptionVersion = -1;
    private volatile IReadOnlySet<string> _joinedTopics = new HashSet<string>();
    private volatile IReadOnlyDictionary<string, int>? _leaderTopicCounts;
    private long _nextHeartbeat;
    private int _failures;
    private volatile bool _fatal;
    private volatile bool _inBlockingRequest;

    public ClassicMembership(KafkaCluster cluster, GroupSettings settings, ILogger logger)
        : base(cluster, settings, logger)
    {
        _assignors = PartitionAssignors.For(settings.Assignors);
        if (_assignors.Count == 0)
        {
            throw new ConfigException("partition.assignment.strategy", null, "At least one partition assignor is required.");
        }

        _protocol = _assignors[0].Protocol;
    }

    public override string MemberId => _state.MemberId;

    public override int GenerationId => _state.Generation;

    /// <summary>The protocol (assignor) the group chose in the last join; null before.</summary>
    internal string? ProtocolName => _state.Protocol;

    /// <summary>True when the last join elected this member leader.</summary>
    internal bool IsLeader => _state.IsLeader;

    /// <summary>Tests stop heartbeats to play a member that hangs.</summary>
    internal bool HeartbeatsSuspended { get; set; }

    protected override CommitIdentity CurrentIdentity
    {
        get
        {
            MemberState s = _state;
            return new CommitIdentity(s.Generation, s.MemberId, Settings.GroupInstanceId);
        }
    }

    protected override bool IsInBlockingRequest => _inBlockingRequest;

    protected override void OnSubscribe() => _fatal = false;

    protected override async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var (subscription, version) = CurrentSubscription;
            if (_fatal)
            {
                await Wake.WaitAsync(Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
                continue;
            }

            if (_state.Generation >= 0 && PollTimedOut)
            {
                await LeaveForMissedPollAsync(stop).ConfigureAwait(false);
                continue;
            }

            if (Events.IsAwaiting(GroupEventKind.Revoked) || Events.IsAwaiting(GroupEventKind.Lost))
            {
                // A revocation completes only once the consumer acknowledges it; the session stays alive meanwhile.
                await HeartbeatIfDueAsync(stop).ConfigureAwait(false);
                await Wake.WaitAsync(_state.Generation >= 0 ? Until(_nextHeartbeat) : Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
                continue;
            }

            if (subscription.IsEmpty)
            {
                await UnsubscribedAsync(stop).ConfigureAwait(false);
                continue;
            }

            if (PollTimedOut)
            {
                await Wake.WaitAsync(Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false); // until the next poll
                continue;
            }

            string? reason = JoinReason(version);
            if (reason is not null)
            {
                if (!PrepareJoin(subscription))
                {
                    await JoinAndSyncAsync(subscription, version, reason, stop).ConfigureAwait(false);
                }

                continue;
            }

            await HeartbeatIfDueAsync(stop).ConfigureAwait(false);
            await Wake.WaitAsync(Until(_nextHeartbeat), stop).ConfigureAwait(false);
        }
    }

    private string? JoinReason(int subscriptionVersion)
    {
        if (_state.Generation < 0)
        {
            return _resetReason ?? "joining the group";
        }

        if (subscriptionVersion != _joinedSubscriptionVersion)
        {
            return "the subscription changed";
        }

        if (_joinsToComplete > 0)
        {
            return "partitions were revoked: rejoining to complete the cooperative rebalance";
        }

        return _rejoinReason;
    }

    /// <summary>
    /// Before joining: partitions whose generation was lost are reported lost; the eager protocol revokes
    /// everything; the cooperative one revokes what the subscription no longer covers. Returns true when it
    /// emitted an event (the loop then waits for its acknowledgment before joining).
    /// </summary>
    private bool PrepareJoin(TopicSubscription subscription)
    {
        if (_owned.Count == 0)
        {
            return false;
        }

        if (_state.Generation < 0)
        {
            Emit(GroupEventKind.Lost, TakeOwned(_owned.ToArray()), _ownedGeneration);
            return true;
        }

        if (_protocol == RebalanceProtocol.Eager)
        {
            Emit(GroupEventKind.Revoked, TakeOwned(_owned.ToArray()), _state.Generation);
            return true;
        }

        SortedSet<string> topics = subscription.Resolve(Cluster.Metadata);
        var gone = _owned.FindAll(tp => !topics.Contains(tp.Topic));
        if (gone.Count == 0)
        {
            return false;
        }

        Emit(GroupEventKind.Revoked, TakeOwned(gone), _state.Generation);
        return true;
    }

    private TopicPartition[] TakeOwned(IReadOnlyList<TopicPartition> partitions)
    {
        var taken = new HashSet<TopicPartition>(partitions);
        _owned.RemoveAll(taken.Contains);
        return [.. partitions];
    }

    private async Task UnsubscribedAsync(CancellationToken stop)
    {
        if (_owned.Count > 0)
        {
            Emit(GroupEventKind.Revoked, TakeOwned(_owned.ToArray()), _state.Generation);
            return;
        }

        if (_state.MemberId.Length > 0)
        {
            await SendLeaveGroupAsync("the consumer unsubscribed", stop).ConfigureAwait(false);
            ResetMember(resetMemberId: true);
            _joinedSubscriptionVersion = -1;
        }

        await Wake.WaitAsync(Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
    }

    private void RequestRejoin(string reason)
    {
        if (_rejoinReason is null)
        {
            GroupLog.Rejoining(Logger, GroupId, reason);
        }

        _rejoinReason = reason;
        Interlocked.Increment(ref _rejoinRequests);
        Wake.Set();
    }

    /// <summary>The generation is gone (and the member id too for UNKNOWN_MEMBER_ID): what is owned is lost.</summary>
    private void ResetMember(bool resetMemberId, string? rejoinReason = null)
    {
        _resetReason = rejoinReason;
        MemberState s = _state;
        _state = s with { Generation = -1, MemberId = resetMemberId ? string.Empty : s.MemberId, IsLeader = false };
        _leaderTopicCounts = null;
        Wake.Set(); // act on it now (report what is lost, rejoin), not at the next heartbeat
    }

    private void Fail(KafkaException error)
    {
        GroupLog.Fatal(Logger, GroupId, error.Message);
        Emit(GroupEventKind.Error, [], _state.Generation, error);
        if (_owned.Count > 0)
        {
            Emit(GroupEventKind.Lost, TakeOwned(_owned.ToArray()), _ownedGeneration);
        }

        ResetMember(resetMemberId: true);
        _fatal = true;
    }

    private async Task BackoffAsync(CancellationToken stop)
    {
        await Task.Delay(Coordinator.Backoff(_failures++), stop).ConfigureAwait(false);
    }

    /// <summary>The member's identity in the group, replaced as a whole so that other threads read it consistently.</summary>
    private sealed record MemberState(string MemberId, int Generation, string? Protocol, bool IsLeader)
    {
        public static readonly MemberState None = new(string.Empty, -1, null, false);
    }
}
