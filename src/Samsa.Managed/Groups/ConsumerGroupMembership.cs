using Microsoft.Extensions.Logging;
using Samsa.Cluster;

namespace Samsa.Groups;

/// <summary>
/// The KIP-848 consumer group protocol: one ConsumerGroupHeartbeat at a time carries the subscription (names
/// and a regex the broker resolves), the member epoch, and what the member owns; the broker answers with the
/// target assignment by topic id. The member reconciles incrementally: it revokes what it no longer has (and
/// waits for the consumer's acknowledgment), then takes what is new, and reports what it owns in the next
/// heartbeat. The member id is generated here once per instance (KIP-1082).
/// </summary>
internal sealed partial class ConsumerGroupMembership : MembershipBase
{
    public const int LeaveEpoch = -1;
    public const int StaticLeaveEpoch = -2;

    private readonly List<TopicPartition> _owned = [];
    private readonly Dictionary<string, Guid> _topicIds = new(StringComparer.Ordinal);
    private volatile string _memberId;
    private volatile int _epoch;
    private volatile bool _joined;
    private volatile bool _fatal;
    private HashSet<TopicPartition>? _reported;
    private List<(Guid TopicId, List<int> Partitions)>? _target;
    private bool _targetPending;
    private bool _firstReconcile;
    private bool _sendFull = true;
    private int _sentSubscriptionVersion = -1;
    private long _nextHeartbeat;
    private int _failures;

    public ConsumerGroupMembership(KafkaCluster cluster, GroupSettings settings, ILogger logger)
        : base(cluster, settings, logger)
    {
        _memberId = NewMemberId();
    }

    /// <summary>The client-generated member id (KIP-1082): set once, kept across rejoins.</summary>
    public override string MemberId => _memberId;

    public override int GenerationId => _joined ? _epoch : -1;

    protected override CommitIdentity CurrentIdentity =>
        new(_joined ? _epoch : -1, _memberId, Settings.GroupInstanceId);

    protected override void OnSubscribe() => _fatal = false;

    /// <summary>A random UUID in Kafka's string form: 22 characters of URL-safe base64, never starting with '-'.</summary>
    internal static string NewMemberId()
    {
        Span<byte> bytes = stackalloc byte[16];
        while (true)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
            string id = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            if (id[0] != '-')
            {
                return id;
            }
        }
    }

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

            if (_joined && PollTimedOut)
            {
                await LeaveForMissedPollAsync(stop).ConfigureAwait(false);
                continue;
            }

            if (Events.AwaitingAcknowledgment)
            {
                // Nothing is reported to the broker before the consumer has applied it; the session stays alive.
                if (_joined)
                {
                    await HeartbeatIfDueAsync(subscription, version, urgent: false, stop, mayReport: false).ConfigureAwait(false);
                }

                await Wake.WaitAsync(_joined ? Until(_nextHeartbeat) : Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
                continue;
            }

            if (subscription.IsEmpty)
            {
                await UnsubscribedAsync(stop).ConfigureAwait(false);
                continue;
            }

            if (PollTimedOut)
            {
                await Wake.WaitAsync(Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
                continue;
            }

            if (_targetPending && Reconcile())
            {
                continue;
            }

            bool urgent = !_joined || version != _sentSubscriptionVersion || _reported is null || !_reported.SetEquals(_owned);
            await HeartbeatIfDueAsync(subscription, version, urgent, stop).ConfigureAwait(false);
            await Wake.WaitAsync(Until(_nextHeartbeat), stop).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One step toward the target: revoke what is no longer assigned, else assign what is new. Returns true when
    /// it emitted an event (the loop waits for the acknowledgment, then comes back for the next step).
    /// </summary>
    private bool Reconcile()
    {
        var target = new HashSet<TopicPartition>();
        bool unresolved = ResolveTarget(target);
        var revoked = _owned.FindAll(tp => !target.Contains(tp));
        if (revoked.Count > 0)
        {
            foreach (TopicPartition tp in revoked)
            {
                _owned.Remove(tp);
            }

            GroupLog.MemberState(Logger, GroupId, _memberId, _epoch, $"revoking {revoked.Count} partition(s): {string.Join(", ", revoked)}");
            Emit(GroupEventKind.Revoked, revoked, _epoch);
            return true;
        }

        var added = new List<TopicPartition>();
        foreach (TopicPartition tp in target)
        {
            if (!_owned.Contains(tp))
            {
                added.Add(tp);
            }
        }

        _targetPending = unresolved;
        if (added.Count > 0 || (_firstReconcile && !unresolved))
        {
            added.Sort(static (a, b) => a.Topic == b.Topic ? a.Partition.CompareTo(b.Partition) : string.CompareOrdinal(a.Topic, b.Topic));
            _owned.AddRange(added);
            _firstReconcile = false;
            GroupLog.Assigned(Logger, GroupId, _owned.Count, _epoch, string.Join(", ", _owned));
            Emit(GroupEventKind.Assigned, added, _epoch);
            return true;
        }

        return false;
    }

    /// <summary>Fills <paramref name="target"/> with the target's partitions whose topic ids metadata resolves; true when some do not resolve yet.</summary>
    private bool ResolveTarget(HashSet<TopicPartition> target)
    {
        if (_target is null)
        {
            return false;
        }

        var names = new Dictionary<Guid, string>();
        foreach (TopicInfo topic in Cluster.Metadata.Topics.Values)
        {
            if (topic.TopicId != Guid.Empty)
            {
                names[topic.TopicId] = topic.Name;
            }
        }

        bool unresolved = false;
        foreach (var (topicId, partitions) in _target)
        {
            if (!names.TryGetValue(topicId, out string? name))
            {
                unresolved = true;
                continue;
            }

            _topicIds[name] = topicId;
            foreach (int p in partitions)
            {
                target.Add(new TopicPartition(name, p));
            }
        }

        if (unresolved)
        {
            // The assignment names a topic this client has no metadata for: look at every topic.
            Cluster.AllTopics = true;
            Cluster.RequestRefresh();
        }

        return unresolved;
    }

    protected override void OnMetadataUpdated(ClusterMetadata metadata)
    {
        if (_targetPending)
        {
            Wake.Set();
        }
    }

    private async Task UnsubscribedAsync(CancellationToken stop)
    {
        if (_owned.Count > 0)
        {
            TopicPartition[] all = [.. _owned];
            _owned.Clear();
            Emit(GroupEventKind.Revoked, all, _epoch);
            return;
        }

        if (_joined)
        {
            await SendLeaveAsync(stop).ConfigureAwait(false);
            ResetMember();
        }

        await Wake.WaitAsync(Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
    }

    private async Task LeaveForMissedPollAsync(CancellationToken stop)
    {
        GroupLog.MaxPollExceeded(Logger, GroupId, (long)Settings.MaxPollInterval.TotalMilliseconds, _owned.Count);
        await SendLeaveAsync(stop).ConfigureAwait(false);
        int epoch = _epoch;
        ResetMember();
        if (_owned.Count > 0)
        {
            TopicPartition[] lost = [.. _owned];
            _owned.Clear();
            Emit(GroupEventKind.Lost, lost, epoch);
        }
        else
        {
            Emit(GroupEventKind.Error, [], -1, new KafkaException(ErrorCode.LocalMaxPollExceeded,
                $"The application did not poll within max.poll.interval.ms ({Settings.MaxPollInterval.TotalMilliseconds} ms); the member left group '{GroupId}'."));
        }
    }

    /// <summary>Not a member any more: the next heartbeat joins again with epoch 0 and the full subscription.</summary>
    private void ResetMember()
    {
        _joined = false;
        _epoch = 0;
        _reported = null;
        _target = null;
        _targetPending = false;
        _sendFull = true;
        _nextHeartbeat = 0;
    }

    /// <summary>The member is fenced or its epoch is stale: what it owned is lost; it rejoins with epoch 0 and the same id.</summary>
    private void Fence(ErrorCode error)
    {
        GroupLog.MemberState(Logger, GroupId, _memberId, _epoch, $"{error.Name()}: partitions lost, rejoining");
        int epoch = _epoch;
        ResetMember();
        if (_owned.Count > 0)
        {
            TopicPartition[] lost = [.. _owned];
            _owned.Clear();
            Emit(GroupEventKind.Lost, lost, epoch);
        }
    }

    private void Fail(KafkaException error)
    {
        GroupLog.Fatal(Logger, GroupId, error.Message);
        Emit(GroupEventKind.Error, [], _epoch, error);
        int epoch = _epoch;
        ResetMember();
        if (_owned.Count > 0)
        {
            TopicPartition[] lost = [.. _owned];
            _owned.Clear();
            Emit(GroupEventKind.Lost, lost, epoch);
        }

        _fatal = true;
    }
}
