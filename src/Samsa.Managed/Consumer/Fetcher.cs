using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Samsa.Buffers;
using Samsa.Cluster;

namespace Samsa.Consumer;

/// <summary>
/// The consumer's fetching engine: the table of assigned partitions with their positions, one
/// <see cref="BrokerFetcher"/> per broker (one Fetch in flight each, to the leader or a preferred read
/// replica), the <see cref="OffsetResolver"/> that finds start positions, the memory budget, and the ready queue
/// the poll thread takes decoded chunks from, partition by partition in turn. Everything about partitions is
/// guarded by one lock, taken once per chunk, never per record.
/// </summary>
internal sealed partial class Fetcher : IAsyncDisposable
{
    private readonly ConsumerSettings _settings;
    private readonly KafkaCluster _cluster;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<TopicPartition, FetchPartition> _partitions = [];
    private readonly List<FetchPartition> _ordered = [];
    private readonly Dictionary<int, BrokerFetcher> _brokers = [];
    private readonly Queue<FetchPartition> _ready = new();
    private readonly ConcurrentQueue<KafkaException> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly OffsetResolver _resolver;
    private readonly Action<ClusterMetadata> _onMetadata;
    private readonly Action<KafkaException> _onSecurityError;
    private int _disposed;

    /// <param name="committedLookup">Reads committed offsets (the group's), or null without group.id.</param>
    public Fetcher(ConsumerSettings settings, KafkaCluster cluster, OffsetLookup offsets, CommittedLookup? committedLookup, ILogger logger)
    {
        _settings = settings;
        _cluster = cluster;
        _logger = logger;
        Budget = new FetchMemoryBudget(settings.QueueMaxBytes);
        NativeFramePool.AddDemand(settings.QueueMaxBytes); // freed frames may stay cached up to the budget, for the next fetches
        _resolver = new OffsetResolver(this, offsets, committedLookup);
        _onMetadata = _ => Wake();
        cluster.MetadataUpdated += _onMetadata;

        // A TLS or SASL failure (wrong password, unknown CA, ...) reaches the error handler once, not as silence.
        _onSecurityError = ReportError;
        cluster.SecurityErrorRaised += _onSecurityError;
    }

    public ConsumerSettings Settings => _settings;

    public KafkaCluster Cluster => _cluster;

    public FetchMemoryBudget Budget { get; }

    /// <summary>Set when a partition has data ready or an error is queued: the poll thread waits on it.</summary>
    public AsyncSignal DataReady { get; } = new();

    internal ILogger Logger => _logger;

    internal CancellationToken StopToken => _stop.Token;

    internal bool HasCommittedLookup => _resolver.HasCommittedLookup;

    /// <summary>Records decoded and waiting for the poll thread, over all partitions.</summary>
    public int BufferedRecords
    {
        get
        {
            lock (_lock)
            {
                int n = 0;
                foreach (FetchPartition p in _ordered)
                {
                    n += p.QueuedRecords;
                }

                return n;
            }
        }
    }

    /// <summary>Takes an error for the error handler (not tied to a partition's records), if any.</summary>
    public bool TryTakeError(out KafkaException error) => _errors.TryDequeue(out error!);

    public bool HasErrors => !_errors.IsEmpty;

    internal void ReportError(KafkaException error)
    {
        _errors.Enqueue(error);
        DataReady.Set();
    }

    /// <summary>The assigned partitions, in assignment order.</summary>
    public List<TopicPartition> Assignment()
    {
        lock (_lock)
        {
            var list = new List<TopicPartition>(_ordered.Count);
            foreach (FetchPartition p in _ordered)
            {
                list.Add(p.TopicPartition);
            }

            return list;
        }
    }

    /// <summary>A snapshot of the assigned partition states (for commits and positions).</summary>
    public List<FetchPartition> Partitions()
    {
        lock (_lock)
        {
            return [.. _ordered];
        }
    }

    public FetchPartition? Find(TopicPartition tp)
    {
        lock (_lock)
        {
            return _partitions.GetValueOrDefault(tp);
        }
    }

    public bool IsAssigned(TopicPartition tp)
    {
        lock (_lock)
        {
            return _partitions.ContainsKey(tp);
        }
    }

    /// <summary>Adds partitions with their start offsets (a real offset, Beginning, End, or Stored/Unset for the committed one).</summary>
    public void Add(IEnumerable<TopicPartitionOffset> partitions)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            ThrowIfDisposed();
            foreach (TopicPartitionOffset tpo in partitions)
            {
                TopicPartition tp = tpo.TopicPartition;
                if (!_partitions.TryGetValue(tp, out FetchPartition? p))
                {
                    p = new FetchPartition(tp);
                    _partitions[tp] = p;
                    _ordered.Add(p);
                }

                StartFrom(p, tpo.Offset, tpo.LeaderEpoch);
                topics.Add(tp.Topic);
            }
        }

        _cluster.AddTopics(topics);
        Wake();
    }

    /// <summary>Removes partitions: their queued data is dropped and fetches in flight for them are ignored.</summary>
    public List<FetchPartition> Remove(IEnumerable<TopicPartition> partitions)
    {
        var removed = new List<FetchPartition>();
        lock (_lock)
        {
            foreach (TopicPartition tp in partitions)
            {
                if (_partitions.Remove(tp, out FetchPartition? p))
                {
                    _ordered.Remove(p);
                    p.Removed = true;
                    p.Version++;
                    p.ClearQueue();
                    removed.Add(p);
                }
            }
        }

        Wake();
        return removed;
    }

    /// <summary>Moves a partition's position; queued and in-flight data for it is dropped.</summary>
    public void Seek(TopicPartitionOffset tpo)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!_partitions.TryGetValue(tpo.TopicPartition, out FetchPartition? p))
            {
                throw new KafkaException(ErrorCode.LocalState, $"Cannot seek {tpo.TopicPartition}: the partition is not assigned to this consumer.");
            }

            StartFrom(p, tpo.Offset, tpo.LeaderEpoch);
        }

        Wake();
    }

    /// <summary>Fetches a partition again from <paramref name="position"/> after a pause (its data did not parse).</summary>
    public void RefetchAfterError(FetchPartition p, long position)
    {
        lock (_lock)
        {
            if (p.Removed || position < 0)
            {
                return;
            }

            int errors = p.ErrorCount;
            StartFrom(p, position, p.PositionLeaderEpoch);
            p.ErrorCount = errors;
            BackOff(p);
        }

        Wake();
    }

    public void SetPaused(IEnumerable<TopicPartition> partitions, bool paused)
    {
        bool ready = false;
        lock (_lock)
        {
            foreach (TopicPartition tp in partitions)
            {
                if (!_partitions.TryGetValue(tp, out FetchPartition? p))
                {
                    throw new KafkaException(ErrorCode.LocalState, $"Cannot {(paused ? "pause" : "resume")} {tp}: the partition is not assigned to this consumer.");
                }

                p.Paused = paused;
                if (!paused && p.Chunks.Count > 0)
                {
                    ready |= MakeReady(p);
                }
            }
        }

        if (ready)
        {
            DataReady.Set();
        }

        Wake();
    }

    /// <summary>Sets where a partition starts (under the lock): the version moves on, so older data is dropped.</summary>
    private void StartFrom(FetchPartition p, Offset offset, int leaderEpoch)
    {
        p.Version++;
        p.ClearQueue();
        p.Removed = false;
        p.BackoffUntil = 0;
        p.ErrorCount = 0;
        p.EofMarkedAt = -1;
        p.EofReported = false;
        p.ResolveInFlight = false;
        p.GrownMaxBytes = 0;
        if (offset.Value >= 0)
        {
            p.State = FetchState.Fetching;
            p.FetchOffset = offset.Value;
            p.ResetPosition(offset.Value);
            p.PositionLeaderEpoch = leaderEpoch;
            return;
        }

        p.ResetPosition(FetchPartition.NoOffset);
        p.FetchOffset = FetchPartition.NoOffset;
        if (offset == Offset.Beginning || offset == Offset.End)
        {
            p.State = FetchState.AwaitingReset;
            p.ResetTimestamp = offset.Value;
            p.ResetIsAutomatic = false;
        }
        else if (_resolver.HasCommittedLookup)
        {
            p.State = FetchState.AwaitingCommitted;
        }
        else
        {
            AutoReset(p, $"{p.TopicPartition} has no start offset (no group.id to read a committed one from)");
        }
    }

    /// <summary>
    /// auto.offset.reset for a partition with no usable offset (under the lock): earliest or latest are looked up;
    /// "error" stops the partition and queues the error for the application.
    /// </summary>
    private void AutoReset(FetchPartition p, string reason)
    {
        if (_settings.AutoOffsetReset == AutoOffsetReset.Error)
        {
            p.State = FetchState.Failed;
            p.Chunks.Enqueue(PartitionChunk.ForError(p, p.Version, new KafkaException(ErrorCode.LocalAutoOffsetReset,
                $"{reason} and auto.offset.reset is error; seek to a valid offset to consume it.")));
            if (MakeReady(p))
            {
                DataReady.Set();
            }

            return;
        }

        p.State = FetchState.AwaitingReset;
        p.ResetIsAutomatic = true;
        p.ResetTimestamp = _settings.AutoOffsetReset == AutoOffsetReset.Earliest ? -2 : -1;
    }

    /// <summary>Queues the partition for the poll thread; returns true when it was not queued yet (under the lock).</summary>
    private bool MakeReady(FetchPartition p)
    {
        if (p.InReady || p.Paused || p.Removed)
        {
            return false;
        }

        p.InReady = true;
        _ready.Enqueue(p);
        return true;
    }

    /// <summary>
    /// The poll thread's next chunk: partitions take turns, one chunk each. Returns null when nothing is ready.
    /// Stale chunks (older version) are still returned; the caller checks and releases them.
    /// </summary>
    public PartitionChunk? TryTakeChunk()
    {
        bool wake = false;
        PartitionChunk? chunk = null;
        lock (_lock)
        {
            while (_ready.TryDequeue(out FetchPartition? p))
            {
                p.InReady = false;
                if (p.Removed || p.Paused || !p.Chunks.TryDequeue(out chunk))
                {
                    continue;
                }

                bool wasHeld = p.QueuedRecords >= _settings.QueuedMinMessages;
                p.QueuedRecords -= chunk.RecordCount;
                wake = wasHeld && p.QueuedRecords < _settings.QueuedMinMessages;
                if (p.Chunks.Count > 0)
                {
                    MakeReady(p);
                }

                break;
            }
        }

        if (wake)
        {
            Wake();
        }

        return chunk;
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException("Consumer", "The consumer is closed.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _cluster.MetadataUpdated -= _onMetadata;
        _cluster.SecurityErrorRaised -= _onSecurityError;
        NativeFramePool.AddDemand(-_settings.QueueMaxBytes);
        await _stop.CancelAsync().ConfigureAwait(false);
        List<BrokerFetcher> brokers;
        lock (_lock)
        {
            brokers = [.. _brokers.Values];
        }

        foreach (BrokerFetcher b in brokers)
        {
            await b.DisposeAsync().ConfigureAwait(false);
        }

        await _resolver.DisposeAsync().ConfigureAwait(false);
        lock (_lock)
        {
            foreach (FetchPartition p in _ordered)
            {
                p.Removed = true;
                p.Version++;
                p.ClearQueue();
            }

            _ordered.Clear();
            _partitions.Clear();
            _ready.Clear();
        }

        NativeBuffer.TrimCache(); // what this consumer's budget let the frame cache hold goes now
        _stop.Dispose();
    }
}
