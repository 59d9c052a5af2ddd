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

    public OffsetResolver(Fetcher fetcher, OffsetLookup offsets, CommittedLookup? committed)
    {
        _fetcher = fetcher;
        _offsets = offsets;
        _committed = committed;
        _loop = Task.Run(RunAsync);
    }

    public bool HasCommittedLookup => _committed is not null;

    public void Wake() => _wake.Set();

    private async Task RunAsync()
    {
        CancellationToken stop = _fetcher.StopToken;
        var committed = new List<(FetchPartition Partition, int Version)>();
        var resets = new List<(FetchPartition Partition, int Version, long Timestamp)>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                committed.Clear();
                resets.Clear();
                long wakeAt = Math.Min(_fetcher.CollectUnresolved(committed, resets), _fetcher.RefreshForMissing());
                if (committed.Count == 0 && resets.Count == 0)
                {
                    TimeSpan wait = wakeAt == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(1, wakeAt - Environment.TickCount64));
                    await _wake.WaitAsync(wait, stop).ConfigureAwait(false);
                    continue;
                }

                Task a = committed.Count > 0 ? ResolveCommittedAsync([.. committed], stop) : Task.CompletedTask;
                Task b = resets.Count > 0 ? ResolveResetsAsync([.. resets], stop) : Task.CompletedTask;
                await Task.WhenAll(a, b).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
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
        catch (Exception ex) when (!stop.IsCancellationRequested && ex is KafkaException or OperationCanceledException or NotSupportedException)
        {
            KafkaException error = ex as KafkaException ?? new KafkaException(ErrorCode.LocalTimedOut, $"Reading committed offsets failed: {ex.Message}", ex);
            foreach (var (p, version) in partitions)
            {
                _fetcher.ResolveFailed(p, version, error, IsFatal(error));
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
        catch (Exception ex) when (!stop.IsCancellationRequested && ex is KafkaException or OperationCanceledException)
        {
            KafkaException error = ex as KafkaException ?? new KafkaException(ErrorCode.LocalTimedOut, $"Listing offsets timed out: {ex.Message}", ex);
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
