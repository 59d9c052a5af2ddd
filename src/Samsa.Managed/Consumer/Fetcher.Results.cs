using Microsoft.Extensions.Logging;
using Samsa.Protocol.Messages;

namespace Samsa.Consumer;

internal sealed partial class Fetcher
{
    /// <summary>True when the partition still wants the data of a fetch made at <paramref name="version"/> (under the lock).</summary>
    private static bool IsCurrent(FetchPartition p, int version) => !p.Removed && p.Version == version && p.State == FetchState.Fetching;

    /// <summary>
    /// Applies one partition's successful fetch result: watermarks, the decoded chunk (queued for the poll thread),
    /// an error found in its batches, and the end-of-partition marker. Takes ownership of <paramref name="chunk"/>.
    /// </summary>
    internal void Deliver(in FetchTarget target, FetchResponse.PartitionData data, PartitionChunk? chunk, bool onlyPartialBatch, KafkaException? error)
    {
        bool ready = false;
        FetchPartition p = target.Partition;
        lock (_lock)
        {
            if (!IsCurrent(p, target.Version) || p.FetchOffset != target.FetchOffset)
            {
                chunk?.Release();
                return;
            }

            p.HighWatermark = data.HighWatermark;
            p.LastStableOffset = data.LastStableOffset;
            if (data.LogStartOffset >= 0)
            {
                p.LogStartOffset = data.LogStartOffset;
            }

            if (chunk is not null && chunk.Count > 0)
            {
                p.FetchOffset = chunk.NextOffset;
                p.Chunks.Enqueue(chunk);
                p.QueuedRecords += chunk.RecordCount;
                if (_cluster.Options.Connection.Metrics is { } metrics)
                {
                    metrics.RecordsFetched.Add(chunk.RecordCount);
                    metrics.BytesFetched.Add(chunk.RecordBytes);
                }
                p.GrownMaxBytes = 0;
                p.ErrorCount = 0;
                ready |= MakeReady(p);
            }
            else
            {
                chunk?.Release();
            }

            if (error is not null)
            {
                // Batches before the bad one were delivered above; the bad one is fetched again after a pause.
                p.Chunks.Enqueue(PartitionChunk.ForError(p, p.Version, Describe(p, error)));
                ready |= MakeReady(p);
                BackOff(p);
            }
            else if (onlyPartialBatch)
            {
                ready |= GrowForLargeBatch(p, target.MaxBytes);
            }

            if (_settings.EnablePartitionEof && error is null)
            {
                long end = p.EndOffset(_settings.IsolationLevel == IsolationLevel.ReadCommitted);
                if (end >= 0 && p.FetchOffset >= end && p.EofMarkedAt != p.FetchOffset)
                {
                    PartitionChunk eof = PartitionChunk.Rent(p, p.Version, ChunkKind.EndOfPartition);
                    eof.NextOffset = p.FetchOffset;
                    p.Chunks.Enqueue(eof);
                    p.EofMarkedAt = p.FetchOffset;
                    ready |= MakeReady(p);
                }
            }
        }

        if (ready)
        {
            DataReady.Set();
        }
    }

    private static KafkaException Describe(FetchPartition p, KafkaException error) =>
        new(error.Error, $"Fetched data of {p.TopicPartition} at offset {p.FetchOffset} is unusable: {error.Reason}", error);

    /// <summary>A batch did not fit the partition's fetch size: ask for more next time, up to the budget (under the lock).</summary>
    private bool GrowForLargeBatch(FetchPartition p, int maxBytes)
    {
        long limit = Math.Min(Budget.Limit, int.MaxValue / 2);
        if (maxBytes >= limit)
        {
            p.Chunks.Enqueue(PartitionChunk.ForError(p, p.Version, new KafkaException(ErrorCode.MessageTooLarge,
                $"A record batch of {p.TopicPartition} at offset {p.FetchOffset} is larger than the {limit} bytes the consumer may buffer (queued.max.messages.kbytes); it cannot be consumed.")));
            p.State = FetchState.Failed;
            return MakeReady(p);
        }

        p.GrownMaxBytes = (int)Math.Min(limit, Math.Max(maxBytes, 1024) * 2L);
        return false;
    }

    /// <summary>Handles a partition-level Fetch error from broker <paramref name="nodeId"/>.</summary>
    internal void PartitionFailed(in FetchTarget target, ErrorCode error, int nodeId)
    {
        bool ready = false;
        FetchPartition p = target.Partition;
        lock (_lock)
        {
            if (!IsCurrent(p, target.Version))
            {
                return;
            }

            bool fromReplica = p.PreferredReplica == nodeId;
            switch (error)
            {
                case ErrorCode.NotLeaderOrFollower:
                case ErrorCode.ReplicaNotAvailable:
                case ErrorCode.LeaderNotAvailable:
                case ErrorCode.FencedLeaderEpoch:
                case ErrorCode.UnknownLeaderEpoch:
                case ErrorCode.UnknownTopicOrPartition:
                case ErrorCode.KafkaStorageError:
                case ErrorCode.OffsetNotAvailable:
                case ErrorCode.NotCoordinator:
                    // The partition moved or the broker's view differs from ours: new metadata, then fetch again.
                    ConsumerLog.PartitionMoved(_logger, p.TopicPartition.ToString(), nodeId, error.Name());
                    p.PreferredReplica = -1;
                    BackOff(p);
                    _cluster.RequestRefresh();
                    break;
                case ErrorCode.OffsetOutOfRange when fromReplica:
                    // A follower may not have the offset yet: go back to the leader.
                    p.PreferredReplica = -1;
                    break;
                case ErrorCode.OffsetOutOfRange:
                    ready = OffsetOutOfRange(p, nodeId);
                    break;
                case ErrorCode.TopicAuthorizationFailed:
                case ErrorCode.UnsupportedCompressionType:
                case ErrorCode.CorruptMessage:
                    p.Chunks.Enqueue(PartitionChunk.ForError(p, p.Version, new KafkaException(error,
                        $"Fetching {p.TopicPartition} from broker {nodeId} failed: {error.Describe()}")));
                    p.State = error == ErrorCode.CorruptMessage ? FetchState.Fetching : FetchState.Failed;
                    BackOff(p);
                    ready = MakeReady(p);
                    break;
                default:
                    BackOff(p);
                    _errors.Enqueue(new KafkaException(error, $"Fetching {p.TopicPartition} from broker {nodeId} failed: {error.Describe()}; retrying."));
                    ready = true;
                    break;
            }
        }

        if (ready)
        {
            DataReady.Set();
        }

        Wake();
    }

    /// <summary>OFFSET_OUT_OF_RANGE from the leader: auto.offset.reset decides (under the lock).</summary>
    private bool OffsetOutOfRange(FetchPartition p, int nodeId)
    {
        string where = $"{p.TopicPartition} offset {p.FetchOffset} is out of range on broker {nodeId} (OFFSET_OUT_OF_RANGE; log start {p.LogStartOffset}, high watermark {p.HighWatermark})";
        if (_settings.AutoOffsetReset != AutoOffsetReset.Error)
        {
            // Data queued from before the reset is dropped: the position may move backwards.
            ConsumerLog.OffsetReset(_logger, where, _settings.AutoOffsetReset.ToString());
            p.Version++;
            p.ClearQueue();
        }

        // With "error", records fetched before stay deliverable and the error follows them.
        AutoReset(p, where);
        return false;
    }

    /// <summary>KIP-392: the leader names the replica to fetch from.</summary>
    internal void SetPreferredReplica(in FetchTarget target, int replica)
    {
        lock (_lock)
        {
            FetchPartition p = target.Partition;
            if (!IsCurrent(p, target.Version))
            {
                return;
            }

            if (!_cluster.Metadata.Brokers.ContainsKey(replica))
            {
                _cluster.RequestRefresh();
            }

            p.PreferredReplica = replica;
            p.PreferredReplicaUntil = Environment.TickCount64 + (long)_settings.PreferredReplicaMaxAge.TotalMilliseconds;
            ConsumerLog.PreferredReplica(_logger, p.TopicPartition.ToString(), replica);
        }

        Wake();
    }

    /// <summary>A whole fetch to a broker failed (connection, timeout, malformed response): back all its partitions off.</summary>
    internal void FetchFailed(int nodeId, List<FetchTarget> targets, KafkaException error)
    {
        lock (_lock)
        {
            foreach (FetchTarget t in targets)
            {
                if (IsCurrent(t.Partition, t.Version))
                {
                    t.Partition.PreferredReplica = -1;
                    BackOff(t.Partition);
                }
            }
        }

        if (_logger.IsEnabled(LogLevel.Warning))
        {
            ConsumerLog.FetchFailed(_logger, nodeId, error.Message);
        }

        _cluster.RequestRefresh();
        ReportError(error);
    }

    // ---- offset resolution ----

    /// <summary>Partitions waiting for a start offset whose lookup can start now; marks them in progress.</summary>
    internal long CollectUnresolved(List<(FetchPartition Partition, int Version)> committed, List<(FetchPartition Partition, int Version, long Timestamp)> resets)
    {
        long wakeAt = long.MaxValue;
        lock (_lock)
        {
            long now = Environment.TickCount64;
            foreach (FetchPartition p in _ordered)
            {
                if (p.ResolveInFlight || p.State is not (FetchState.AwaitingCommitted or FetchState.AwaitingReset))
                {
                    continue;
                }

                if (p.BackoffUntil > now)
                {
                    wakeAt = Math.Min(wakeAt, p.BackoffUntil);
                    continue;
                }

                p.ResolveInFlight = true;
                if (p.State == FetchState.AwaitingCommitted)
                {
                    committed.Add((p, p.Version));
                }
                else
                {
                    resets.Add((p, p.Version, p.ResetTimestamp));
                }
            }
        }

        return wakeAt;
    }

    /// <summary>A start offset was found: fetching begins there.</summary>
    internal void Resolved(FetchPartition p, int version, long offset, int leaderEpoch)
    {
        lock (_lock)
        {
            if (p.Removed || p.Version != version)
            {
                return;
            }

            p.ResolveInFlight = false;
            p.State = FetchState.Fetching;
            p.FetchOffset = offset;
            p.ResetPosition(offset);
            p.PositionLeaderEpoch = leaderEpoch;
            p.ErrorCount = 0;
            p.EofMarkedAt = -1;
            p.EofReported = false;
        }

        Wake();
    }

    /// <summary>No committed offset: auto.offset.reset takes over (or, for "error", the application is told).</summary>
    internal void NoCommittedOffset(FetchPartition p, int version)
    {
        lock (_lock)
        {
            if (p.Removed || p.Version != version)
            {
                return;
            }

            p.ResolveInFlight = false;
            AutoReset(p, $"{p.TopicPartition} has no committed offset");
        }

        Wake();
    }

    /// <summary>A lookup found no such topic or partition: the resolver's loop asks for metadata again until it appears.</summary>
    private void MarkMissing(FetchPartition p, KafkaException error)
    {
        lock (_lock)
        {
            if (!p.ReportedMissing && !p.Removed)
            {
                p.ReportedMissing = true;
                _errors.Enqueue(new KafkaException(error.Error, $"Assigned partition {p.TopicPartition}: {error.Reason}; retrying until it is available.", error));
            }
        }

        DataReady.Set();
        _resolver.Wake();
    }

    /// <summary>Every how many consecutive failed start-offset lookups of a partition the application is told.</summary>
    private const int PersistentFailureReportEvery = 10;

    /// <summary>An offset lookup failed: retry after a pause, or stop the partition and tell the application.</summary>
    internal void ResolveFailed(FetchPartition p, int version, KafkaException error, bool fatal)
    {
        bool ready = false;
        int attempts;
        lock (_lock)
        {
            // A partition no longer waiting for this lookup (moved, removed, or answered meanwhile) is left alone.
            if (p.Removed || p.Version != version || !p.ResolveInFlight)
            {
                return;
            }

            p.ResolveInFlight = false;
            BackOff(p);
            attempts = p.ErrorCount;
            if (fatal)
            {
                p.State = FetchState.Failed;
                p.Chunks.Enqueue(PartitionChunk.ForError(p, p.Version, error));
                ready = MakeReady(p);
            }
        }

        if (ready)
        {
            DataReady.Set();
        }
        else if (!fatal)
        {
            ConsumerLog.ResolveRetry(_logger, p.TopicPartition.ToString(), error.Message);
            bool missing = error.Error is ErrorCode.UnknownTopicOrPartition or ErrorCode.LocalUnknownPartition or ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable;
            if (missing)
            {
                MarkMissing(p, error);
            }
            else if (attempts % PersistentFailureReportEvery == 0)
            {
                // A partition that cannot start is not a silent stall: the application hears of it now and then
                // (a missing topic or partition is reported once, above, and consumed when it appears).
                ReportError(new KafkaException(error.Error, $"{p.TopicPartition} cannot start: finding its start offset failed {attempts} times in a row " +
                    $"(retrying every {_settings.RetryBackoffMax.TotalMilliseconds:0} ms at most); last error: {error.Message}", error));
            }
        }
    }
}
