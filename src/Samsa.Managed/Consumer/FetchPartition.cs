namespace Samsa.Consumer;

/// <summary>Where an assigned partition stands in getting a fetch position.</summary>
internal enum FetchState
{
    /// <summary>Waiting for the group's committed offset (OffsetFetch); none falls back to auto.offset.reset.</summary>
    AwaitingCommitted,

    /// <summary>Waiting for a ListOffsets answer (earliest, latest, or auto.offset.reset after OFFSET_OUT_OF_RANGE).</summary>
    AwaitingReset,

    /// <summary>Has a fetch position and is fetched.</summary>
    Fetching,

    /// <summary>Stopped on an error the application was told about; a Seek starts it again.</summary>
    Failed,
}

/// <summary>
/// One assigned partition. Fields marked "fetcher lock" are changed only under the fetcher's lock; the
/// position fields are written by the poll thread as records are delivered (and under the lock by seeks).
/// </summary>
internal sealed class FetchPartition
{
    public const long NoOffset = -1001;

    public FetchPartition(TopicPartition topicPartition)
    {
        TopicPartition = topicPartition;
    }

    public TopicPartition TopicPartition { get; }

    public string Topic => TopicPartition.Topic;

    public int Partition => TopicPartition.Partition;

    // ---- fetcher lock ----

    public FetchState State { get; set; } = FetchState.AwaitingCommitted;

    /// <summary>For <see cref="FetchState.AwaitingReset"/>: the ListOffsets timestamp (-2 earliest, -1 latest).</summary>
    public long ResetTimestamp { get; set; } = -1;

    /// <summary>True when the reset comes from auto.offset.reset (so that "error" can refuse it).</summary>
    public bool ResetIsAutomatic { get; set; }

    /// <summary>Bumped by every seek, reset and removal: data fetched under an older version is dropped.</summary>
    public int Version { get; set; }

    /// <summary>The next offset to fetch.</summary>
    public long FetchOffset { get; set; } = NoOffset;

    public bool Paused { get; set; }

    public bool Removed { get; set; }

    /// <summary>The broker whose fetch session includes the partition right now; -1 when none.</summary>
    public int InFlightNode { get; set; } = -1;

    /// <summary>True once the application was told the partition does not exist (reset when it appears).</summary>
    public bool ReportedMissing { get; set; }

    /// <summary>True while an offset lookup (committed or ListOffsets) for the partition is running.</summary>
    public bool ResolveInFlight { get; set; }

    /// <summary>Environment.TickCount64 before which the partition is not fetched or resolved (after an error).</summary>
    public long BackoffUntil { get; set; }

    /// <summary>Consecutive errors, for the exponential backoff.</summary>
    public int ErrorCount { get; set; }

    /// <summary>KIP-392: the replica the leader told us to fetch from; -1 for the leader.</summary>
    public int PreferredReplica { get; set; } = -1;

    public long PreferredReplicaUntil { get; set; }

    /// <summary>A larger per-partition size after a batch did not fit (0: max.partition.fetch.bytes).</summary>
    public int GrownMaxBytes { get; set; }

    public long HighWatermark { get; set; } = -1;

    public long LastStableOffset { get; set; } = -1;

    public long LogStartOffset { get; set; } = -1;

    /// <summary>The fetch offset at which an end-of-partition marker was last queued.</summary>
    public long EofMarkedAt { get; set; } = -1;

    /// <summary>Chunks waiting for the poll thread, oldest first.</summary>
    public Queue<PartitionChunk> Chunks { get; } = new();

    /// <summary>Records in <see cref="Chunks"/>.</summary>
    public int QueuedRecords { get; set; }

    /// <summary>True while the partition is in the fetcher's ready queue.</summary>
    public bool InReady { get; set; }

    // ---- poll thread ----

    /// <summary>The next offset to deliver to the application; <see cref="NoOffset"/> before one is known.</summary>
    public long Position { get; private set; } = NoOffset;

    /// <summary>
    /// True once the poll thread moved <see cref="Position"/> past a record it handed out (or a batch it skipped) since
    /// the last assign, seek or offset reset. Only then is the position a consumed offset to commit, as librdkafka
    /// stores offsets on consumption: a position only resolved from a committed offset or auto.offset.reset is not one.
    /// </summary>
    public bool PositionConsumed { get; private set; }

    /// <summary>The position an assign, seek or offset reset sets: nothing is consumed from it yet.</summary>
    public void ResetPosition(long offset)
    {
        Position = offset;
        PositionConsumed = false;
    }

    /// <summary>The position past what the poll thread handed out or skipped.</summary>
    public void AdvancePosition(long offset)
    {
        Position = offset;
        PositionConsumed = true;
    }

    /// <summary>The leader epoch of the last delivered record (for commits, KIP-320).</summary>
    public int PositionLeaderEpoch { get; set; } = -1;

    /// <summary>True once an end-of-partition event was given for the current position.</summary>
    public bool EofReported { get; set; }

    /// <summary>The offset stored for commit (enable.auto.offset.store=false workflow); <see cref="NoOffset"/> when none.</summary>
    public long StoredOffset { get; set; } = NoOffset;

    public int StoredLeaderEpoch { get; set; } = -1;

    /// <summary>The last offset committed (or read as committed) for the partition.</summary>
    public long CommittedOffset { get; set; } = NoOffset;

    /// <summary>The offset the partition ends at for end-of-partition purposes: the LSO under read_committed.</summary>
    public long EndOffset(bool readCommitted) => readCommitted && LastStableOffset >= 0 ? LastStableOffset : HighWatermark;

    /// <summary>Drops queued data (after a seek, reset or removal) and returns the chunks' memory.</summary>
    public void ClearQueue()
    {
        while (Chunks.TryDequeue(out PartitionChunk? chunk))
        {
            chunk.Release();
        }

        QueuedRecords = 0;
    }

    public override string ToString() => TopicPartition.ToString();
}
