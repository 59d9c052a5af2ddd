namespace Samsa.Consumer;

internal sealed partial class ConsumerEngine
{
    private int _autoCommitRunning;

    /// <summary>
    /// The offsets to commit: the stored ones (with enable.auto.offset.store, the positions of the partitions something
    /// was consumed from since their last assign, seek or reset).
    /// </summary>
    private List<TopicPartitionOffset> Committable(List<FetchPartition> partitions, bool onlyChanged)
    {
        var list = new List<TopicPartitionOffset>(partitions.Count);
        foreach (FetchPartition p in partitions)
        {
            long offset = !_settings.EnableAutoOffsetStore ? p.StoredOffset
                : p.PositionConsumed ? p.Position : FetchPartition.NoOffset;
            int epoch = _settings.EnableAutoOffsetStore ? p.PositionLeaderEpoch : p.StoredLeaderEpoch;
            if (offset >= 0 && (!onlyChanged || offset != p.CommittedOffset))
            {
                list.Add(new TopicPartitionOffset(p.TopicPartition, offset, epoch));
            }
        }

        return list;
    }

    /// <summary>Commits the stored offsets of every assigned partition; returns what was committed.</summary>
    public List<TopicPartitionOffset> Commit()
    {
        ThrowIfClosed();
        RequireGroup("commit offsets");
        List<TopicPartitionOffset> offsets = Committable(_fetcher.Partitions(), onlyChanged: false);
        if (offsets.Count == 0)
        {
            throw new KafkaException(ErrorCode.LocalNoOffset, "No offsets to commit: nothing was consumed" +
                (_settings.EnableAutoOffsetStore ? "." : " or stored (enable.auto.offset.store=false: call StoreOffset first)."));
        }

        CommitSync(offsets);
        return offsets;
    }

    /// <summary>Commits given offsets (the next offsets to read) of assigned partitions.</summary>
    public void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        ThrowIfClosed();
        CommitSync(CheckExplicit(offsets));
    }

    public async Task<List<TopicPartitionOffset>> CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        RequireGroup("commit offsets");
        List<TopicPartitionOffset> offsets = Committable(_fetcher.Partitions(), onlyChanged: false);
        if (offsets.Count == 0)
        {
            throw new KafkaException(ErrorCode.LocalNoOffset, "No offsets to commit: nothing was consumed or stored.");
        }

        await CommitCoreAsync(offsets, cancellationToken).ConfigureAwait(false);
        return offsets;
    }

    public async Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        await CommitCoreAsync(CheckExplicit(offsets), cancellationToken).ConfigureAwait(false);
    }

    private List<TopicPartitionOffset> CheckExplicit(IEnumerable<TopicPartitionOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        RequireGroup("commit offsets");
        var list = new List<TopicPartitionOffset>(offsets);
        foreach (TopicPartitionOffset o in list)
        {
            if (o.Offset.Value < 0)
            {
                throw new ArgumentException($"Cannot commit offset {o.Offset} for {o.TopicPartition}: a committed offset is 0 or more.", nameof(offsets));
            }

            if (!_fetcher.IsAssigned(o.TopicPartition))
            {
                throw new KafkaException(ErrorCode.LocalInvalidArg, $"Cannot commit an offset for {o.TopicPartition}: the partition is not assigned to this consumer.");
            }
        }

        return list;
    }

    private void RequireGroup(string what)
    {
        if (_groupOffsets is null)
        {
            throw new ConfigException("group.id", null, $"Cannot {what} without group.id: offsets are kept per consumer group.");
        }
    }

    /// <summary>Commits and waits (up to request.timeout.ms, the membership's retries included).</summary>
    private void CommitSync(List<TopicPartitionOffset> offsets)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        timeout.CancelAfter(_settings.RequestTimeout);
        try
        {
            CommitCoreAsync(offsets, timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException ex)
        {
            throw new KafkaException(ErrorCode.LocalTimedOut, $"Committing {offsets.Count} offset(s) timed out after {_settings.RequestTimeout.TotalMilliseconds:0} ms.", ex);
        }
    }

    private async ValueTask CommitCoreAsync(List<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        if (_membership is not null)
        {
            await _membership.CommitAsync(offsets, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _groupOffsets!.CommitAsync(offsets, -1, string.Empty, cancellationToken).ConfigureAwait(false);
        }

        foreach (TopicPartitionOffset o in offsets)
        {
            if (_fetcher.Find(o.TopicPartition) is { } p)
            {
                p.CommittedOffset = o.Offset.Value;
            }
        }
    }

    /// <summary>Stores the offset to commit next for a partition (enable.auto.offset.store=false).</summary>
    public void StoreOffset(TopicPartitionOffset offset)
    {
        ThrowIfClosed();
        if (_settings.EnableAutoOffsetStore)
        {
            throw new KafkaException(ErrorCode.LocalInvalidArg,
                "StoreOffset needs enable.auto.offset.store=false; with it true, the consumer stores the position of every record it hands out.");
        }

        if (offset.Offset.Value < 0)
        {
            throw new ArgumentException($"Cannot store offset {offset.Offset} for {offset.TopicPartition}: a stored offset is 0 or more.", nameof(offset));
        }

        FetchPartition p = Assigned(offset.TopicPartition, "store an offset for");
        p.StoredOffset = offset.Offset.Value;
        p.StoredLeaderEpoch = offset.LeaderEpoch;
    }

    /// <summary>The committed offsets of partitions (assigned or not); <see cref="Offset.Unset"/> where none.</summary>
    public async Task<List<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(partitions);
        RequireGroup("read committed offsets");
        var list = new List<TopicPartition>(partitions);
        IReadOnlyList<TopicPartitionOffset> result = await LookupCommittedAsync(list, cancellationToken).ConfigureAwait(false);
        return [.. result];
    }

    private ValueTask<IReadOnlyList<TopicPartitionOffset>> LookupCommittedAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken) =>
        _membership is not null
            ? _membership.FetchCommittedAsync(partitions, cancellationToken)
            : _groupOffsets!.FetchAsync(partitions, _settings.IsolationLevel == IsolationLevel.ReadCommitted, cancellationToken);

    /// <summary>The watermarks seen in the last fetch of an assigned partition (Unset when unknown).</summary>
    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition)
    {
        ThrowIfClosed();
        FetchPartition? p = _fetcher.Find(partition);
        if (p is null)
        {
            return new WatermarkOffsets(Offset.Unset, Offset.Unset);
        }

        long low = p.LogStartOffset;
        long high = p.HighWatermark;
        return new WatermarkOffsets(low >= 0 ? low : Offset.Unset, high >= 0 ? high : Offset.Unset);
    }

    /// <summary>Asks the partition's leader for its watermarks (ListOffsets earliest and latest).</summary>
    public async Task<WatermarkOffsets> QueryWatermarkOffsetsAsync(TopicPartition partition, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        ValidateOne(new TopicPartitionOffset(partition, Offset.Unset));
        Dictionary<TopicPartition, ListedOffset> low = await _offsets.ListAsync([(partition, OffsetLookup.Earliest)], 0, cancellationToken).ConfigureAwait(false);
        Dictionary<TopicPartition, ListedOffset> high = await _offsets.ListAsync([(partition, OffsetLookup.Latest)], 0, cancellationToken).ConfigureAwait(false);
        return new WatermarkOffsets(Checked(partition, low), Checked(partition, high));
    }

    private static long Checked(TopicPartition partition, Dictionary<TopicPartition, ListedOffset> results)
    {
        if (!results.TryGetValue(partition, out ListedOffset r))
        {
            throw new KafkaException(ErrorCode.LocalBadMsg, $"No ListOffsets answer for {partition}.");
        }

        if (r.Error != ErrorCode.None)
        {
            throw new KafkaException(r.Error, r.Message ?? $"ListOffsets for {partition} failed: {r.Error.Describe()}");
        }

        return r.Offset;
    }

    /// <summary>
    /// For each partition, the first offset whose record timestamp is at or after the given one
    /// (<see cref="Offset.End"/> when there is none).
    /// </summary>
    public async Task<List<TopicPartitionOffset>> OffsetsForTimesAsync(IEnumerable<TopicPartitionTimestamp> timestamps, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(timestamps);
        var queries = new List<(TopicPartition, long)>();
        var seen = new HashSet<TopicPartition>();
        foreach (TopicPartitionTimestamp t in timestamps)
        {
            ValidateOne(new TopicPartitionOffset(t.TopicPartition, Offset.Unset));
            if (!seen.Add(t.TopicPartition))
            {
                throw new ArgumentException($"{t.TopicPartition} appears twice; ask for one timestamp per partition.", nameof(timestamps));
            }

            if (t.Timestamp.UnixTimestampMs < 0)
            {
                throw new ArgumentException($"The timestamp for {t.TopicPartition} is negative ({t.Timestamp.UnixTimestampMs}); give milliseconds since the epoch.", nameof(timestamps));
            }

            queries.Add((t.TopicPartition, t.Timestamp.UnixTimestampMs));
        }

        Dictionary<TopicPartition, ListedOffset> results = await _offsets.ListAsync(queries, _settings.IsolationByte, cancellationToken).ConfigureAwait(false);
        var list = new List<TopicPartitionOffset>(queries.Count);
        var none = new List<(TopicPartition, long)>();
        foreach (var (tp, timestamp) in queries)
        {
            long offset = Checked(tp, results);
            list.Add(new TopicPartitionOffset(tp, offset >= 0 ? offset : Offset.End, results[tp].LeaderEpoch));
            if (offset < 0)
            {
                none.Add((tp, timestamp));
            }
        }

        if (none.Count > 0)
        {
            await CheckNoOffsetForTimeAsync(none, cancellationToken).ConfigureAwait(false);
        }

        return list;
    }

    /// <summary>
    /// "No offset at or after this time" is only believable when the partition's newest record is older than the
    /// timestamp. A broker that cannot look up offsets by time (librdkafka's mock cluster) answers -1 for every
    /// timestamp: asking for the largest timestamp (ListOffsets -3, KIP-734) tells the two apart, and the second
    /// case is a clear error rather than a silent Offset.End. When the check itself gets no answer, End stands.
    /// </summary>
    private async Task CheckNoOffsetForTimeAsync(List<(TopicPartition Partition, long Timestamp)> none, CancellationToken cancellationToken)
    {
        var max = new List<(TopicPartition, long)>(none.Count);
        var starts = new List<(TopicPartition, long)>(none.Count);
        var ends = new List<(TopicPartition, long)>(none.Count);
        foreach (var (tp, _) in none)
        {
            max.Add((tp, OffsetLookup.MaxTimestamp));
            starts.Add((tp, OffsetLookup.Earliest));
            ends.Add((tp, OffsetLookup.Latest));
        }

        Dictionary<TopicPartition, ListedOffset> newest = await _offsets.ListAsync(max, 0, cancellationToken).ConfigureAwait(false);
        Dictionary<TopicPartition, ListedOffset> first = await _offsets.ListAsync(starts, 0, cancellationToken).ConfigureAwait(false);
        Dictionary<TopicPartition, ListedOffset> last = await _offsets.ListAsync(ends, 0, cancellationToken).ConfigureAwait(false);
        foreach (var (tp, timestamp) in none)
        {
            if (!newest.TryGetValue(tp, out ListedOffset n) || !first.TryGetValue(tp, out ListedOffset f) || !last.TryGetValue(tp, out ListedOffset l)
                || n.Error != ErrorCode.None || f.Error != ErrorCode.None || l.Error != ErrorCode.None || l.Offset <= f.Offset)
            {
                continue;
            }

            if (n.Offset < 0 || n.Timestamp >= timestamp)
            {
                throw new KafkaException(ErrorCode.LocalUnsupportedFeature,
                    $"The broker found no offset of {tp} at or after timestamp {timestamp}, yet the partition holds records (offsets {f.Offset} to {l.Offset - 1}" +
                    (n.Offset < 0 ? ") and cannot name its newest timestamp" : $", newest timestamp {n.Timestamp})") +
                    ": this broker does not support looking up offsets by timestamp.");
            }
        }
    }

    /// <summary>auto.commit.interval.ms elapsed: commit what changed, in the background.</summary>
    private void AutoCommitTick()
    {
        if (Volatile.Read(ref _closed) != 0 || Interlocked.Exchange(ref _autoCommitRunning, 1) != 0)
        {
            return;
        }

        _ = AutoCommitAsync();
    }

    private async Task AutoCommitAsync()
    {
        try
        {
            List<TopicPartitionOffset> offsets = Committable(_fetcher.Partitions(), onlyChanged: true);
            if (offsets.Count > 0)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                timeout.CancelAfter(_settings.RequestTimeout);
                await CommitCoreAsync(offsets, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException or ObjectDisposedException)
        {
            if (Volatile.Read(ref _closed) == 0)
            {
                ConsumerLog.AutoCommitFailed(_logger, ex.Message);
            }
        }
        finally
        {
            Volatile.Write(ref _autoCommitRunning, 0);
        }
    }
}
