using Samsa.Cluster;

namespace Samsa.Consumer;

internal sealed partial class Fetcher
{
    private readonly HashSet<int> _targets = [];
    private bool _hasUnplaced;
    private long _nextMissingRefresh;

    /// <summary>
    /// Something changed (assignment, seek, resume, drained queue, metadata): makes sure every broker that has
    /// partitions to fetch has a fetcher, and wakes them all and the offset resolver.
    /// </summary>
    public void Wake()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        List<BrokerFetcher> wake;
        lock (_lock)
        {
            _targets.Clear();
            long now = Environment.TickCount64;
            ClusterMetadata metadata = _cluster.Metadata;
            bool missingLeader = false;
            foreach (FetchPartition p in _ordered)
            {
                CheckExists(p, metadata);
                if (p.State != FetchState.Fetching || p.Paused)
                {
                    continue;
                }

                int node = TargetNode(p, metadata, now, out _);
                if (node >= 0)
                {
                    _targets.Add(node);
                }
                else
                {
                    missingLeader = true;
                }
            }

            foreach (int node in _targets)
            {
                if (!_brokers.ContainsKey(node))
                {
                    _brokers[node] = new BrokerFetcher(this, node);
                }
            }

            wake = [.. _brokers.Values];
            _hasUnplaced = missingLeader;
        }

        foreach (BrokerFetcher b in wake)
        {
            b.Wake();
        }

        _resolver.Wake();
    }

    /// <summary>
    /// Partitions that cannot be fetched because their topic, partition or leader is not known: metadata is asked
    /// for again every retry.backoff.max.ms (the cluster itself only looks again soon for leader elections).
    /// Returns when to check next (long.MaxValue when nothing is missing). Called by the offset resolver's loop.
    /// </summary>
    internal long RefreshForMissing()
    {
        bool missing;
        lock (_lock)
        {
            missing = _hasUnplaced;
            foreach (FetchPartition p in _ordered)
            {
                missing |= p.ReportedMissing;
            }
        }

        if (!missing)
        {
            return long.MaxValue;
        }

        long now = Environment.TickCount64;
        if (now >= _nextMissingRefresh)
        {
            _cluster.RequestRefresh();
            _nextMissingRefresh = now + (long)Math.Max(_settings.RetryBackoff.TotalMilliseconds, _settings.RetryBackoffMax.TotalMilliseconds);
        }

        return _nextMissingRefresh;
    }

    /// <summary>
    /// Tells the application (once, through the error handler) when the cluster says an assigned partition does
    /// not exist; it is fetched as soon as it appears (under the lock).
    /// </summary>
    private void CheckExists(FetchPartition p, ClusterMetadata metadata)
    {
        TopicInfo? topic = metadata.Topic(p.Topic);
        ErrorCode missing = topic is null ? ErrorCode.None
            : topic.Error == ErrorCode.UnknownTopicOrPartition ? ErrorCode.UnknownTopicOrPartition
            : topic.Error == ErrorCode.None && p.Partition >= topic.PartitionCount && topic.PartitionCount > 0 ? ErrorCode.LocalUnknownPartition
            : ErrorCode.None;
        if (missing == ErrorCode.None)
        {
            p.ReportedMissing = false;
            return;
        }

        if (!p.ReportedMissing)
        {
            p.ReportedMissing = true;
            _errors.Enqueue(new KafkaException(missing, missing == ErrorCode.UnknownTopicOrPartition
                ? $"Assigned partition {p.TopicPartition}: topic '{p.Topic}' does not exist (yet); it is consumed once it does."
                : $"Assigned partition {p.TopicPartition}: topic '{p.Topic}' has only {topic!.PartitionCount} partitions; it is consumed once the partition exists."));
            DataReady.Set();
        }
    }

    /// <summary>Brokers that currently have partitions to fetch (for sharing the memory budget).</summary>
    internal int ActiveBrokers
    {
        get
        {
            lock (_lock)
            {
                return Math.Max(1, _targets.Count);
            }
        }
    }

    /// <summary>
    /// The partitions broker <paramref name="nodeId"/> should fetch now; marks them in flight for it. Returns the
    /// tick at which a backed-off partition becomes fetchable (long.MaxValue when none).
    /// </summary>
    internal long Collect(int nodeId, List<FetchTarget> into)
    {
        long wakeAt = long.MaxValue;
        lock (_lock)
        {
            long now = Environment.TickCount64;
            ClusterMetadata metadata = _cluster.Metadata;
            foreach (FetchPartition p in _ordered)
            {
                if (p.State != FetchState.Fetching || p.Paused || (p.InFlightNode >= 0 && p.InFlightNode != nodeId))
                {
                    continue;
                }

                if (p.BackoffUntil > now)
                {
                    wakeAt = Math.Min(wakeAt, p.BackoffUntil);
                    continue;
                }

                if (p.QueuedRecords >= _settings.QueuedMinMessages || TargetNode(p, metadata, now, out int leaderEpoch) != nodeId)
                {
                    continue;
                }

                p.InFlightNode = nodeId;
                int maxBytes = p.GrownMaxBytes > 0 ? p.GrownMaxBytes : _settings.MaxPartitionFetchBytes;
                into.Add(new FetchTarget(p, p.Version, p.FetchOffset, leaderEpoch, maxBytes));
            }
        }

        return wakeAt;
    }

    /// <summary>
    /// The fetch for these partitions is over (answered or failed). A partition that now belongs to another broker
    /// (leader change, preferred replica) was skipped by that broker's fetcher while in flight here: wake it.
    /// </summary>
    internal void ReleaseInFlight(int nodeId, List<FetchTarget> targets)
    {
        bool moved = false;
        lock (_lock)
        {
            long now = Environment.TickCount64;
            ClusterMetadata metadata = _cluster.Metadata;
            foreach (FetchTarget t in targets)
            {
                FetchPartition p = t.Partition;
                if (p.InFlightNode != nodeId)
                {
                    continue;
                }

                p.InFlightNode = -1;
                if (!p.Removed && p.State == FetchState.Fetching && TargetNode(p, metadata, now, out _) != nodeId)
                {
                    moved = true;
                }
            }
        }

        if (moved)
        {
            Wake();
        }
    }

    /// <summary>Whom to fetch a partition from: a preferred read replica still valid, else the leader; -1 when unknown.</summary>
    private static int TargetNode(FetchPartition p, ClusterMetadata metadata, long now, out int leaderEpoch)
    {
        leaderEpoch = -1;
        int leader = -1;
        TopicInfo? topic = metadata.Topic(p.Topic);
        if (topic is not null && (uint)p.Partition < (uint)topic.Partitions.Count)
        {
            PartitionInfo info = topic.Partitions[p.Partition];
            leader = info.Leader;
            leaderEpoch = info.LeaderEpoch;
        }

        if (p.PreferredReplica >= 0)
        {
            if (now < p.PreferredReplicaUntil && metadata.Brokers.ContainsKey(p.PreferredReplica))
            {
                return p.PreferredReplica;
            }

            p.PreferredReplica = -1;
        }

        return leader >= 0 && metadata.Brokers.ContainsKey(leader) ? leader : -1;
    }

    /// <summary>The pause before retrying after the <paramref name="errors"/>-th consecutive error, with jitter.</summary>
    internal long BackoffMs(int errors)
    {
        double baseMs = _settings.RetryBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(errors, 16));
        double capped = Math.Min(baseMs, Math.Max(_settings.RetryBackoff.TotalMilliseconds, _settings.RetryBackoffMax.TotalMilliseconds));
        return (long)(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    /// <summary>Backs a partition off after an error (under the lock).</summary>
    private void BackOff(FetchPartition p)
    {
        p.BackoffUntil = Environment.TickCount64 + BackoffMs(p.ErrorCount);
        p.ErrorCount++;
    }
}
