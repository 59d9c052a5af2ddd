using Microsoft.Extensions.Logging;
using Samsa.Cluster;

namespace Samsa.Groups;

/// <summary>
/// What both protocols share: the subscription, the event queue, the max.poll.interval.ms timer, commits and
/// offset fetches, and the one background loop (started by the first subscription, supervised so that an
/// unexpected exception is reported and the loop restarts rather than dying).
/// </summary>
internal abstract class MembershipBase : IGroupMembership
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lifecycle = new();
    private TopicSubscription _subscription = TopicSubscription.Empty;
    private int _subscriptionVersion;
    private long _lastPoll = Environment.TickCount64;
    private Task? _loop;
    private Task? _leaving;
    private int _disposed;

    protected MembershipBase(KafkaCluster cluster, GroupSettings settings, ILogger logger)
    {
        Cluster = cluster;
        Settings = settings;
        Logger = logger;
        Coordinator = new GroupCoordinator(cluster, settings, logger);
        Offsets = new GroupOffsets(Coordinator, settings, logger);
        Events = new GroupEventQueue(Wake.Set);
        Cluster.MetadataUpdated += OnMetadataUpdatedSafe;
    }

    public string GroupId => Settings.GroupId;

    public abstract string MemberId { get; }

    public abstract int GenerationId { get; }

    public IReadOnlyList<TopicPartition> Assignment => Events.Assignment;

    /// <summary>Background tasks running now (the loop), for tests that check everything stops.</summary>
    internal int RunningBackgroundTasks
    {
        get
        {
            lock (_lifecycle)
            {
                return _loop is { IsCompleted: false } ? 1 : 0;
            }
        }
    }

    protected KafkaCluster Cluster { get; }

    protected GroupSettings Settings { get; }

    protected ILogger Logger { get; }

    protected GroupCoordinator Coordinator { get; }

    protected GroupOffsets Offsets { get; }

    protected GroupEventQueue Events { get; }

    protected WakeSignal Wake { get; } = new();

    /// <summary>The subscription the application set last, and a number that changes with every set.</summary>
    protected (TopicSubscription Subscription, int Version) CurrentSubscription
    {
        get
        {
            lock (_lifecycle)
            {
                return (_subscription, _subscriptionVersion);
            }
        }
    }

    /// <summary>True when the application has not polled within max.poll.interval.ms.</summary>
    protected bool PollTimedOut => Environment.TickCount64 - Volatile.Read(ref _lastPoll) > (long)Settings.MaxPollInterval.TotalMilliseconds;

    /// <summary>When the poll timer runs out (Environment.TickCount64).</summary>
    protected long PollDeadline => Volatile.Read(ref _lastPoll) + (long)Settings.MaxPollInterval.TotalMilliseconds;

    /// <summary>What commits carry now; a generation below 0 means "not a member".</summary>
    protected abstract CommitIdentity CurrentIdentity { get; }

    public void Subscribe(IReadOnlyList<string> topics)
    {
        TopicSubscription subscription = TopicSubscription.Parse(topics);
        ObjectDisposedException.ThrowIf(_leaving is not null, this);
        if (subscription.IsEmpty)
        {
            Unsubscribe();
            return;
        }

        if (subscription.Names.Count > 0)
        {
            Cluster.AddTopics(subscription.Names);
        }

        if (subscription.HasPatterns)
        {
            Cluster.AllTopics = true;
        }

        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_leaving is not null, this);
            _subscription = subscription;
            _subscriptionVersion++;
            Volatile.Write(ref _lastPoll, Environment.TickCount64);
            OnSubscribe();
            _loop ??= Task.Run(SuperviseAsync);
        }

        Wake.Set();
    }

    public void Unsubscribe()
    {
        lock (_lifecycle)
        {
            _subscription = TopicSubscription.Empty;
            _subscriptionVersion++;
        }

        Wake.Set();
    }

    public bool TryTakeEvent(out GroupEvent groupEvent)
    {
        bool wasExpired = PollTimedOut;
        Volatile.Write(ref _lastPoll, Environment.TickCount64);
        if (wasExpired)
        {
            Wake.Set(); // a member that left for a missed poll rejoins now
        }

        return Events.TryDequeue(out groupEvent);
    }

    public Task WaitForEventAsync(CancellationToken cancellationToken) => Events.WaitAsync(cancellationToken);

    public void Acknowledge(GroupEvent groupEvent) => Events.Acknowledge(groupEvent);

    public ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var assignment = new HashSet<TopicPartition>(Assignment);
        var notAssigned = new List<string>();
        var invalid = new List<string>();
        foreach (TopicPartitionOffset tpo in offsets)
        {
            if (!assignment.Contains(tpo.TopicPartition))
            {
                notAssigned.Add(tpo.TopicPartition.ToString());
            }
            else if (tpo.Offset.Value < 0)
            {
                invalid.Add($"{tpo.TopicPartition} @{tpo.Offset}");
            }
        }

        if (notAssigned.Count > 0)
        {
            return ValueTask.FromException(new KafkaException(ErrorCode.LocalInvalidArg,
                $"Cannot commit offsets for partitions not assigned to this member of group '{GroupId}': {string.Join(", ", notAssigned)}."));
        }

        if (invalid.Count > 0)
        {
            return ValueTask.FromException(new KafkaException(ErrorCode.LocalInvalidArg,
                $"Cannot commit special or negative offsets in group '{GroupId}': {string.Join(", ", invalid)}."));
        }

        CommitIdentity identity = CurrentIdentity;
        if (identity.GenerationOrEpoch < 0)
        {
            return ValueTask.FromException(new RetriableGroupException(ErrorCode.RebalanceInProgress,
                $"Cannot commit offsets for group '{GroupId}' now: the member is (re)joining the group; commit again once it has rejoined."));
        }

        return Offsets.CommitAsync(offsets, identity, cancellationToken);
    }

    public ValueTask<IReadOnlyList<TopicPartitionOffset>> FetchCommittedAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken) =>
        Offsets.FetchAsync(partitions, cancellationToken);

    public ValueTask LeaveAsync(CancellationToken cancellationToken)
    {
        Task leaving;
        lock (_lifecycle)
        {
            _leaving ??= LeaveOnceAsync(cancellationToken);
            leaving = _leaving;
        }

        return new ValueTask(leaving);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(Settings.RequestTimeout < TimeSpan.FromSeconds(10) ? Settings.RequestTimeout : TimeSpan.FromSeconds(10)))
        {
            try
            {
                await LeaveAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is KafkaException or OperationCanceledException or ObjectDisposedException)
            {
                GroupLog.OperationFailed(Logger, GroupId, "leaving on dispose", ex.Message);
            }
        }

        _stop.Dispose();
    }

    /// <summary>The loop: runs until <paramref name="stop"/>; exceptions other than cancellation are reported by the supervisor.</summary>
    protected abstract Task RunAsync(CancellationToken stop);

    /// <summary>Leaves the group once the loop has stopped (LeaveGroup or the leave heartbeat; nothing for a static classic member).</summary>
    protected abstract Task LeaveGroupAsync(bool loopWasBusy, CancellationToken cancellationToken);

    /// <summary>Called under the lifecycle lock when the application subscribes (a fatal state may clear).</summary>
    protected virtual void OnSubscribe()
    {
    }

    /// <summary>Called on each metadata refresh (on the cluster's thread; must not block).</summary>
    protected virtual void OnMetadataUpdated(ClusterMetadata metadata)
    {
    }

    protected GroupEvent Emit(GroupEventKind kind, IReadOnlyList<TopicPartition> partitions, int generation, KafkaException? error = null)
    {
        var groupEvent = new GroupEvent(kind, partitions, error) { Generation = generation };
        Events.Enqueue(groupEvent);
        return groupEvent;
    }

    /// <summary>How long to sleep until <paramref name="dueTicks"/> or the poll deadline, whichever is first.</summary>
    protected TimeSpan Until(long dueTicks)
    {
        long due = Math.Min(dueTicks, PollDeadline + 1);
        long wait = due - Environment.TickCount64;
        return TimeSpan.FromMilliseconds(Math.Clamp(wait, 0, int.MaxValue));
    }

    private void OnMetadataUpdatedSafe(ClusterMetadata metadata)
    {
        try
        {
            OnMetadataUpdated(metadata);
        }
        catch (Exception ex) when (ex is KafkaException or InvalidOperationException or ArgumentException)
        {
            GroupLog.OperationFailed(Logger, GroupId, "metadata update", ex.Message);
        }
    }

    private async Task SuperviseAsync()
    {
        // The loop ends with the membership or with the cluster it runs on, whichever closes first.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, Cluster.ShutdownToken);
        CancellationToken stop = linked.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the loop must survive anything; the error goes to the consumer as an event
            catch (Exception ex)
#pragma warning restore CA1031
            {
                GroupLog.LoopFailed(Logger, GroupId, ex.ToString());
                Emit(GroupEventKind.Error, [], GenerationId, ex as KafkaException ?? new KafkaException(ErrorCode.LocalFail, $"Group membership failed: {ex.Message}", ex));
                try
                {
                    await Task.Delay(Settings.RetryBackoffMax, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task LeaveOnceAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Task? loop;
        lock (_lifecycle)
        {
            loop = _loop;
        }

        bool busy = loop is { IsCompleted: false } && IsInBlockingRequest;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false); // the supervisor never throws
        }

        Cluster.MetadataUpdated -= OnMetadataUpdatedSafe;
        try
        {
            if (loop is not null)
            {
                await LeaveGroupAsync(busy, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Events.Clear();
        }
    }

    /// <summary>True while the loop waits in a request that can take long (JoinGroup, SyncGroup).</summary>
    protected virtual bool IsInBlockingRequest => false;
}
