using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Groups;

namespace Samsa.Consumer;

/// <summary>
/// The byte-level consumer behind <see cref="Consumer{TKey, TValue}"/>: the cluster view, the fetcher, offsets
/// and commits, the group membership (when subscribed) and the poll thread's record cursor. Calls are meant
/// for one poll thread at a time (like librdkafka's and Java's consumers); commits and queries may come from
/// any thread.
/// </summary>
internal sealed partial class ConsumerEngine : IAsyncDisposable
{
    private readonly ConsumerSettings _settings;
    private readonly ConsumerConfig _config;
    private readonly KafkaCluster _cluster;
    private readonly Fetcher _fetcher;
    private readonly OffsetLookup _offsets;
    private readonly GroupOffsets? _groupOffsets;
    private readonly Func<MembershipContext, IGroupMembership> _membershipFactory;
    private readonly IConsumerCallbacks _callbacks;
    private readonly ILogger _logger;
    private readonly ITimer? _autoCommitTimer;
    private readonly CancellationTokenSource _closing = new();
    private IGroupMembership? _membership;
    private IReadOnlyList<string> _subscription = [];
    private int _closed;

    public ConsumerEngine(ConsumerSettings settings, ConsumerConfig config, ClusterOptions clusterOptions, IConsumerCallbacks callbacks, ILogger logger,
        Func<MembershipContext, IGroupMembership>? membershipFactory = null)
    {
        _settings = settings;
        _config = config;
        _callbacks = callbacks;
        _logger = logger;
        _membershipFactory = membershipFactory ?? GroupMembershipFactory.Create;
        _cluster = new KafkaCluster(clusterOptions);
        _offsets = new OffsetLookup(_cluster, settings.RetryBackoff);
        if (settings.GroupId is { Length: > 0 } groupId)
        {
            _groupOffsets = new GroupOffsets(_cluster, groupId, settings.GroupInstanceId, settings.RetryBackoff);
        }

        _fetcher = new Fetcher(settings, _cluster, _offsets, _groupOffsets is null ? null : LookupCommittedAsync, logger);
        if (_groupOffsets is not null && settings.EnableAutoCommit && settings.AutoCommitInterval > TimeSpan.Zero)
        {
            _autoCommitTimer = TimeProvider.System.CreateTimer(static s => ((ConsumerEngine)s!).AutoCommitTick(), this,
                settings.AutoCommitInterval, settings.AutoCommitInterval);
        }
    }

    public ConsumerSettings Settings => _settings;

    internal Fetcher Fetcher => _fetcher;

    internal KafkaCluster Cluster => _cluster;

    internal IGroupMembership? Membership => _membership;

    public IReadOnlyList<string> Subscription => _subscription;

    public string MemberId => _membership?.MemberId ?? string.Empty;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    private void ThrowIfClosed()
    {
        // The revoked handler that Close runs may still use the consumer (commit, store offsets).
        if (Volatile.Read(ref _closed) != 0 && !_inRebalanceHandler)
        {
            throw new ObjectDisposedException("Consumer", "The consumer is closed; create a new one to consume again.");
        }
    }

    /// <summary>
    /// Closes: revokes the assignment (the revoked handler runs, and offsets are committed when auto-commit is
    /// on), leaves the group, stops fetching and releases every buffer. Idempotent.
    /// </summary>
    public async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        // A consume call waiting on another thread wakes up and reports the close.
        _fetcher.DataReady.Set();
        if (_autoCommitTimer is not null)
        {
            await _autoCommitTimer.DisposeAsync().ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(_settings.CloseTimeout);
        await CloseStepAsync("revoking the assignment", () => RevokeOnCloseAsync(timeout.Token)).ConfigureAwait(false);
        if (_membership is not null)
        {
            IGroupMembership membership = _membership;
            await CloseStepAsync("leaving the group", () => membership.LeaveAsync(timeout.Token)).ConfigureAwait(false);
            await CloseStepAsync("stopping the group membership", membership.DisposeAsync).ConfigureAwait(false);
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        ReleaseCursor();
        await _fetcher.DisposeAsync().ConfigureAwait(false);
        await _cluster.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    /// <summary>
    /// Test hook: the process dies. Nothing is revoked, committed or left (no handler, no OffsetCommit, no
    /// LeaveGroup); every connection is dropped, which also stops the membership's loop, so the group only
    /// notices when the session times out.
    /// </summary>
    internal async ValueTask CrashForTestAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _fetcher.DataReady.Set();
        if (_autoCommitTimer is not null)
        {
            await _autoCommitTimer.DisposeAsync().ConfigureAwait(false);
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        await _cluster.DisposeAsync().ConfigureAwait(false);
        ReleaseCursor();
        await _fetcher.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask CloseStepAsync(string step, Func<ValueTask> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException or NotSupportedException or ObjectDisposedException)
        {
            ConsumerLog.CloseStepFailed(_logger, step, ex.Message);
        }
    }

    /// <summary>On close: the revoked handler, the final commit (auto-commit), then the partitions are dropped.</summary>
    private async ValueTask RevokeOnCloseAsync(CancellationToken cancellationToken)
    {
        List<FetchPartition> partitions = _fetcher.Partitions();
        if (partitions.Count == 0)
        {
            return;
        }

        if (_membership is not null)
        {
            RunRebalanceHandler("partitions revoked", () => _callbacks.OnRevoked(Positions(partitions)));
        }

        if (_settings.EnableAutoCommit && _groupOffsets is not null)
        {
            List<TopicPartitionOffset> offsets = Committable(partitions, onlyChanged: true);
            if (offsets.Count > 0)
            {
                await CommitCoreAsync(offsets, cancellationToken).ConfigureAwait(false);
            }
        }

        _fetcher.Remove(TopicPartitionsOf(partitions));
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private static List<TopicPartition> TopicPartitionsOf(List<FetchPartition> partitions)
    {
        var list = new List<TopicPartition>(partitions.Count);
        foreach (FetchPartition p in partitions)
        {
            list.Add(p.TopicPartition);
        }

        return list;
    }

    /// <summary>The current positions of partitions (for the revoked and lost handlers).</summary>
    private static List<TopicPartitionOffset> Positions(List<FetchPartition> partitions)
    {
        var list = new List<TopicPartitionOffset>(partitions.Count);
        foreach (FetchPartition p in partitions)
        {
            list.Add(new TopicPartitionOffset(p.TopicPartition, p.Position >= 0 ? p.Position : Offset.Unset, p.PositionLeaderEpoch));
        }

        return list;
    }

    /// <summary>Runs an application handler; its exception is logged and reported, never allowed to stop the consumer's own work.</summary>
    private Exception? InvokeHandler(string name, Action handler)
    {
        try
        {
            handler();
            return null;
        }
#pragma warning disable CA1031 // The application's handler may throw anything; the consumer's state must stay consistent.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ConsumerLog.HandlerFailed(_logger, name, ex.Message);
            return ex;
        }
    }
}
