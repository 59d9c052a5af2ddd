namespace Samsa.Consumer;

/// <summary>
/// Finds start positions in the background: the committed offset of partitions assigned without one (through
/// the group), else auto.offset.reset; and earliest/latest through ListOffsets. Results are applied only if the
/// partition was not moved meanwhile (its version is unchanged).
/// </summary>
internal sealed class OffsetResolver : IAsyncDisposable
{
    private readonly Fetcher _fetcher;
    private readonly OffsetLookup _offsets;
    private readonly CommittedLookup? _committed;
    private readonly AsyncSignal _wake = new();
    private readonly Task _loop;
    private volatile string _phase = "starting";

    public OffsetResolver(Fetcher fetcher, OffsetLookup offsets, CommittedLookup? committed)
    {
        _fetcher = fetcher;
        _offsets = offsets;
        _committed = committed;
        _loop = Task.Run(RunAsync);
    }

    public bool HasCommittedLookup => _committed is not null;

    public void Wake() => _wake.Set();

    /// <summary>What the loop is doing (for stall reports).</summary>
    internal string Phase => _loop.IsCompleted ? $"ENDED ({_loop.Status}{(_loop.Exception is { } e ? ": " + e.InnerException?.Message : "")}); was {_phase}" : _phase;

    private async Task RunAsync()
    {
        CancellationToken stop = _fetcher.StopToken;
        var committed = new List<(FetchPartition Partition, int Version)>();
        var resets = new List<(FetchPartition Partition, int Version, long Timestamp)>();
        while (!stop.IsCancellationRequested)
        {
            committed.Clear();
            resets.Clear();
            try
            {
                long wakeAt = Math.Min(_fetcher.CollectUnresolved(committed, resets), _fetcher.RefreshForMissing());
                if (committed.Count == 0 && resets.Count == 0)
                {
                    _phase = "waiting";
                    TimeSpan wait = wakeAt == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(1, wakeAt - Environment.TickCount64));
                    await _wake.WaitAsync(wait, stop).ConfigureAwait(false);
                    continue;
                }

                _phase = "resolving";
                var lookups = new List<Task>();
                if (committed.Count > 0)
                {
                    lookups.Add(ResolveCommittedAsync([.. committed], stop));
                }

                // One lookup per leader: a broker that stalls or drops its connection holds back only its own
                // partitions, never the answers of the others (which are applied, and fetched, as they come).
                foreach (List<(FetchPartition Partition, int Version, long Timestamp)> group in await ByLeaderAsync(resets, stop).ConfigureAwait(false))
                {
                    lookups.Add(ResolveResetsAsync(group, stop));
                }

                await Task.WhenAll(lookups).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The resolver loop must outlive any failure of one round: every later reset depends on it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // The lookups fail their own partitions; this is a bug in the round itself. Whatever it collected is
                // released (and retried after a pause), so no partition is left waiting for an answer that never comes.
                var error = new KafkaException(ErrorCode.LocalFail, $"Finding start offsets failed unexpectedly: {ex.Message}", ex);
                FailAll(committed, resets, error);
                ReportCrash(ex, error);
                try
                {
                    await Task.Delay(_fetcher.Settings.RetryBackoffMax, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Groups reset lookups by the partition's leader (-1: not known). Topics the metadata does not know yet are
    /// waited for first (at most request.timeout.ms), so that the very first lookups are split by leader too.
    /// </summary>
    private async Task<List<List<(FetchPartition Partition, int Version, long Timestamp)>>> ByLeaderAsync(
        List<(FetchPartition Partition, int Version, long Timestamp)> resets, CancellationToken stop)
    {
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in resets)
        {
            if (_fetcher.Cluster.Metadata.Topic(r.Partition.Topic) is null)
            {
                unknown.Add(r.Partition.Topic);
            }
        }

        if (unknown.Count > 0)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(_fetcher.Settings.RequestTimeout);
            try
            {
                foreach (string topic in unknown)
                {
                    await _fetcher.Cluster.WaitForTopicAsync(topic, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!stop.IsCancellationRequested && ex is KafkaException or OperationCanceledException)
            {
                // Still unknown: those partitions are looked up together, and the lookup reports what is wrong.
            }
        }

        var groups = new Dictionary<int, List<(FetchPartition Partition, int Version, long Timestamp)>>();
        Cluster.ClusterMetadata metadata = _fetcher.Cluster.Metadata;
        foreach (var r in resets)
        {
            int leader = metadata.LeaderOf(r.Partition.Topic, r.Partition.Partition);
            if (!groups.TryGetValue(leader, out var group))
            {
                groups[leader] = group = [];
            }

            group.Add(r);
        }

        return [.. groups.Values];
    }

    private void FailAll(List<(FetchPartition Partition, int Version)> committed, List<(FetchPartition Partition, int Version, long Timestamp)> resets, KafkaException error)
    {
        foreach (var (p, version) in committed)
        {
            _fetcher.ResolveFailed(p, version, error, fatal: false);
        }

        foreach (var (p, version, _) in resets)
        {
            _fetcher.ResolveFailed(p, version, error, fatal: false);
        }
    }

    private async Task ResolveCommittedAsync(List<(FetchPartition Partition, int Version)> partitions, CancellationToken stop)
    {
        var list = new List<TopicPartition>(partitions.Count);
        foreach (var (p, _) in partitions)
        {
            list.Add(p.TopicPartition);
        }

        IReadOnlyList<TopicPartitionOffset> offsets;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(_fetcher.Settings.RequestTimeout);
            offsets = await _committed!(list, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            // Any failure (a timeout, a closed connection, a bug) is this lookup's: the partitions are retried.
            KafkaException error = ex as KafkaException ?? new KafkaException(ex is OperationCanceledException ? ErrorCode.LocalTimedOut : ErrorCode.LocalFail,
                $"Reading committed offsets failed: {ex.Message}", ex);
            ReportUnexpected(ex, error);
            bool fatal = ex is KafkaException && IsFatal(error);
            foreach (var (p, version) in partitions)
            {
                _fetcher.ResolveFailed(p, version, error, fatal);
            }

            return;
        }

        var byPartition = new Dictionary<TopicPartition, TopicPartitionOffset>(offsets.Count);
        foreach (TopicPartitionOffset o in offsets)
        {
            byPartition[o.TopicPartition] = o;
        }

        foreach (var (p, version) in partitions)
        {
            if (byPartition.TryGetValue(p.TopicPartition, out TopicPartitionOffset o) && o.Offset.Value >= 0)
            {
                p.CommittedOffset = o.Offset.Value;
                _fetcher.Resolved(p, version, o.Offset.Value, o.LeaderEpoch);
            }
            else
            {
                _fetcher.NoCommittedOffset(p, version);
            }
        }
    }

    private async Task ResolveResetsAsync(List<(FetchPartition Partition, int Version, long Timestamp)> partitions, CancellationToken stop)
    {
        var queries = new List<(TopicPartition, long)>(partitions.Count);
        foreach (var (p, _, timestamp) in partitions)
        {
            queries.Add((p.TopicPartition, timestamp));
        }

        Dictionary<TopicPartition, ListedOffset> results;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(_fetcher.Settings.RequestTimeout);
            results = await _offsets.ListAsync(queries, _fetcher.Settings.IsolationByte, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            // Any failure (a timeout, a closed connection, a bug) is this lookup's: the partitions are retried.
            KafkaException error = ex as KafkaException ?? (ex is OperationCanceledException
                ? new KafkaException(ErrorCode.LocalTimedOut, $"Listing offsets of {partitions[0].Partition.TopicPartition}{(partitions.Count > 1 ? $" and {partitions.Count - 1} more" : "")} got no answer within {_fetcher.Settings.RequestTimeout.TotalMilliseconds:0} ms (request.timeout.ms).", ex)
                : new KafkaException(ErrorCode.LocalFail, $"Listing offsets failed: {ex.Message}", ex));
            ReportUnexpected(ex, error);
            foreach (var (p, version, _) in partitions)
            {
                _fetcher.ResolveFailed(p, version, error, fatal: false);
            }

            return;
        }

        foreach (var (p, version, timestamp) in partitions)
        {
            if (!results.TryGetValue(p.TopicPartition, out ListedOffset r))
            {
                // Never left waiting: a partition the lookup did not answer for is retried like a failed one.
                _fetcher.ResolveFailed(p, version, new KafkaException(ErrorCode.LocalBadMsg, $"Listing offsets gave no answer for {p.TopicPartition}."), fatal: false);
                continue;
            }

            if (r.Error == ErrorCode.None && r.Offset >= 0)
            {
                _fetcher.Resolved(p, version, r.Offset, r.LeaderEpoch);
                continue;
            }

            string what = timestamp == OffsetLookup.Earliest ? "earliest" : "latest";
            var error = new KafkaException(r.Error == ErrorCode.None ? ErrorCode.LocalNoOffset : r.Error,
                $"Finding the {what} offset of {p.TopicPartition} failed: {r.Message ?? "the broker returned no offset"}");
            _fetcher.ResolveFailed(p, version, error, IsFatal(error));
        }
    }

    /// <summary>A failure that is neither a Kafka error nor a timeout is a bug: logged and told to the application, then retried.</summary>
    private void ReportUnexpected(Exception ex, KafkaException error)
    {
        if (ex is not (KafkaException or OperationCanceledException))
        {
            ReportCrash(ex, error);
        }
    }

    private void ReportCrash(Exception ex, KafkaException error)
    {
        ConsumerLog.ResolverCrashed(_fetcher.Logger, ex.ToString());
        _fetcher.ReportError(error);
    }

    /// <summary>Errors that retrying will not cure stop the partition (the application is told); others are retried.</summary>
    private static bool IsFatal(KafkaException error) =>
        !error.IsRetriable && error.Error is not (ErrorCode.LocalTimedOut or ErrorCode.NetworkException or ErrorCode.LocalTransport
            or ErrorCode.RequestTimedOut or ErrorCode.LocalNoOffset or ErrorCode.LocalBadMsg or ErrorCode.LocalProtocol
            or ErrorCode.RebalanceInProgress or ErrorCode.LocalDestroy);

    public async ValueTask DisposeAsync()
    {
        _wake.Set();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
