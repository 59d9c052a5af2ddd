using Samsa.Buffers;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Consumer;

/// <summary>
/// Fetches from one broker, one request in flight at a time: collects the partitions the broker should serve,
/// reserves their share of the memory budget (no fetch is sent without it), sends the Fetch through the
/// broker's fetch session, and hands each partition's data to a <see cref="ChunkBuilder"/> (decompression
/// happens here, off the poll thread) and then to the <see cref="Fetcher"/>.
/// </summary>
internal sealed class BrokerFetcher : IAsyncDisposable
{
    private const long MinimumRequestBytes = 64 * 1024;

    private readonly Fetcher _fetcher;
    private readonly int _nodeId;
    private readonly AsyncSignal _wake = new();
    private readonly FetchSession _session = new();
    private readonly ChunkBuilder _builder;
    private readonly List<FetchTarget> _targets = [];
    private readonly Dictionary<TopicPartition, int> _index = [];
    private readonly Task _loop;
    private KafkaConnection? _sessionConnection;
    private long _reservation;
    private volatile int _phase;
    private long _phaseArg;
    private long _phaseSince = Environment.TickCount64;

    // By how much this broker's next response is expected to exceed the MaxBytes asked for (see Reserve).
    private long _expectedExcess;

    public BrokerFetcher(Fetcher fetcher, int nodeId)
    {
        _fetcher = fetcher;
        _nodeId = nodeId;
        _builder = new ChunkBuilder(fetcher.Settings, fetcher.Budget);

        // Before its first answer a broker may send about a partition's worth more than asked for (one batch).
        _expectedExcess = fetcher.Settings.MaxPartitionFetchBytes;
        _loop = Task.Run(RunAsync);
    }

    public int NodeId => _nodeId;

    internal FetchSession Session => _session;

    /// <summary>What the fetch loop is doing now and for how long (for stall reports; nothing is allocated per round).</summary>
    internal string Phase
    {
        get
        {
            long arg = Volatile.Read(ref _phaseArg);
            string what = (FetcherPhase)_phase switch
            {
                FetcherPhase.Idle => arg == long.MaxValue ? "idle (nothing to fetch)" : $"idle until a backoff ends in {arg - Environment.TickCount64} ms",
                FetcherPhase.WaitingForMemory => $"waiting for memory ({_fetcher.Budget.Used} of {_fetcher.Budget.Limit} bytes in use)",
                FetcherPhase.Connecting => $"getting a connection for {arg} partition(s)",
                FetcherPhase.InFlight => $"fetch of {arg} partition(s) in flight",
                FetcherPhase.Processing => "processing a response",
                FetcherPhase.Throttled => $"throttled for {arg} ms",
                FetcherPhase.CrashPause => "pausing after an unexpected failure",
                _ => "starting",
            };
            return $"{what}, for {Environment.TickCount64 - Volatile.Read(ref _phaseSince)} ms";
        }
    }

    private void Enter(FetcherPhase phase, long arg = 0)
    {
        Volatile.Write(ref _phaseArg, arg);
        Volatile.Write(ref _phaseSince, Environment.TickCount64);
        _phase = (int)phase;
    }

    public void Wake() => _wake.Set();

    private async Task RunAsync()
    {
        CancellationToken stop = _fetcher.StopToken;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The fetch loop must outlive any bug in one round; the error is logged and the round retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ConsumerLog.FetcherCrashed(_fetcher.Logger, _nodeId, ex.ToString());
                Enter(FetcherPhase.CrashPause);
                _session.Reset();
                _fetcher.ReleaseInFlight(_nodeId, _targets);
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

    /// <summary>One round: collect, reserve memory, fetch (or wait when there is nothing to do).</summary>
    private async Task RunOnceAsync(CancellationToken stop)
    {
        NativeBuffer.TrimCache();
        _targets.Clear();
        long wakeAt = _fetcher.Collect(_nodeId, _targets);
        if (_targets.Count == 0)
        {
            Enter(FetcherPhase.Idle, wakeAt);
            ConsumerLog.FetcherIdle(_fetcher.Logger, _nodeId, wakeAt == long.MaxValue ? -1 : wakeAt - Environment.TickCount64);
            await _wake.WaitAsync(Until(wakeAt), stop).ConfigureAwait(false);
            return;
        }

        long reserved = Reserve(out int askBytes);
        if (reserved == 0)
        {
            _fetcher.ReleaseInFlight(_nodeId, _targets);
            Enter(FetcherPhase.WaitingForMemory);
            ConsumerLog.FetcherOverBudget(_fetcher.Logger, _nodeId, _fetcher.Budget.Used, _fetcher.Budget.Limit);
            await Task.WhenAny(_fetcher.Budget.WaitForReleaseAsync(), _wake.WaitAsync()).WaitAsync(stop).ConfigureAwait(false);
            return;
        }

        _reservation = reserved;
        try
        {
            await GuardedFetchAsync(askBytes, stop).ConfigureAwait(false);
        }
        finally
        {
            // What the response frame did not take over of the reservation goes back.
            _fetcher.Budget.Release(_reservation);
            _reservation = 0;
            _fetcher.ReleaseInFlight(_nodeId, _targets);
        }
    }

    /// <summary>The loop body never ends the loop on an unexpected failure: it is reported and retried after a pause.</summary>
    private async Task GuardedFetchAsync(int askBytes, CancellationToken stop)
    {
        try
        {
            await FetchOnceAsync(askBytes, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _session.Reset();
            _fetcher.FetchFailed(_nodeId, _targets, ex as KafkaException ?? new KafkaException(ErrorCode.LocalFail,
                $"Fetching from broker {_nodeId} failed unexpectedly: {ex.Message}", ex));
        }
    }

    private static TimeSpan Until(long wakeAt)
    {
        if (wakeAt == long.MaxValue)
        {
            return Timeout.InfiniteTimeSpan;
        }

        return TimeSpan.FromMilliseconds(Math.Max(1, wakeAt - Environment.TickCount64));
    }

    /// <summary>
    /// This broker's share of the free budget: half of an even split between the brokers being fetched from, so a
    /// response can be decoded and consumed while the next one is on its way; at most fetch.max.bytes. A broker
    /// may answer with more than the MaxBytes asked for (a whole batch to make progress; the librdkafka mock
    /// cluster adds a whole producer batch beyond it), so the reservation adds what this broker's last full answer
    /// exceeded its MaxBytes by: the answers of all brokers together then fit the budget, and with a budget of
    /// only a few response frames the brokers take turns instead of each landing a frame at once. A broker whose
    /// last answer was not full is caught up: its next fetch may wait on the broker (fetch.wait.max.ms) and
    /// reserves only what it asks for, so it does not hold the others back meanwhile.
    /// Returns the bytes reserved (0: not enough free) and the MaxBytes to ask for.
    /// </summary>
    private long Reserve(out int askBytes)
    {
        FetchMemoryBudget budget = _fetcher.Budget;
        int brokers = _fetcher.ActiveBrokers;
        long share = budget.Limit / brokers;
        long wanted = Math.Max(1, Math.Min(_fetcher.Settings.FetchMaxBytes, Math.Max(share / 2, Math.Min(MinimumRequestBytes, share))));
        long excess = _expectedExcess;

        // Never wait for more than what leaves every other broker room for a plain fetch: caught-up brokers keep
        // such small fetches in flight back to back, and a broker waiting for all of the budget would starve.
        long othersRoom = (brokers - 1) * wanted;
        long minimum = Math.Max(Math.Max(1, wanted / 2), Math.Min((wanted / 2) + excess, budget.Limit - othersRoom));
        long reserved = budget.TryReserve(Math.Max(minimum, Math.Min(budget.Limit, wanted + excess)), minimum);

        // The reservation beyond the expected excess is what may be asked for (at least half the wish, or all of it
        // when the excess alone fills the budget: progress before precision).
        askBytes = (int)Math.Min(int.MaxValue, Math.Clamp(reserved - excess, Math.Min(wanted, Math.Max(1, reserved / 2)), wanted));
        return reserved;
    }

    /// <summary>Learns from an answer of <paramref name="received"/> bytes to a fetch that asked for <paramref name="asked"/> (see <see cref="Reserve"/>).</summary>
    private void ObserveResponse(int asked, int received) => _expectedExcess = Math.Max(0, received - (long)asked);

    private async Task FetchOnceAsync(int askBytes, CancellationToken stop)
    {
        ConsumerSettings settings = _fetcher.Settings;
        KafkaConnection connection;
        short version;
        try
        {
            Enter(FetcherPhase.Connecting, _targets.Count);
            connection = await _fetcher.Cluster.GetConnectionAsync(_nodeId, stop).ConfigureAwait(false);
            version = connection.ResolveVersion(ApiKey.Fetch);
        }
        catch (KafkaException ex)
        {
            _session.Reset();
            _fetcher.FetchFailed(_nodeId, _targets, ex);
            return;
        }

        if (!ReferenceEquals(connection, _sessionConnection))
        {
            // A session lives on the broker, but a new connection may reach a restarted broker: start over.
            _session.Reset();
            _sessionConnection = connection;
        }

        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = (int)settings.FetchWaitMax.TotalMilliseconds,
            MinBytes = settings.FetchMinBytes,
            MaxBytes = askBytes,
            IsolationLevel = settings.IsolationByte,
            RackId = settings.ClientRack ?? string.Empty,
        };
        _session.Build(request, _targets, version);
        if (_fetcher.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Trace))
        {
            int listed = 0;
            foreach (FetchRequest.FetchTopic t in request.Topics)
            {
                listed += t.Partitions.Count;
            }

            ConsumerLog.FetchSent(_fetcher.Logger, _nodeId, _targets.Count, listed, request.SessionId, request.SessionEpoch, request.MaxBytes);
        }

        ResponseLease<FetchResponse> lease;
        try
        {
            Enter(FetcherPhase.InFlight, _targets.Count);
            lease = await connection.SendLeasedAsync<FetchRequest, FetchResponse>(
                request, stop, version, settings.RequestTimeout + settings.FetchWaitMax).ConfigureAwait(false);
        }
        catch (KafkaException ex)
        {
            _session.Reset();
            _fetcher.FetchFailed(_nodeId, _targets, ex);
            return;
        }

        ObserveResponse(askBytes, lease.Frame.Length);

        // The frame takes over its size from the reservation, so the bytes are never counted twice.
        long prepaid = Math.Min(_reservation, lease.Frame.Length);
        _reservation -= prepaid;
        FetchBuffer frame = FetchBuffer.ForFrame(lease.Frame, _fetcher.Budget, prepaid);

        // The rest of the reservation is free again before decompression asks the budget for room.
        _fetcher.Budget.Release(_reservation);
        _reservation = 0;
        int throttleMs;
        try
        {
            Enter(FetcherPhase.Processing);
            throttleMs = Process(lease.Message, frame);
        }
        finally
        {
            frame.Release();
        }

        if (throttleMs > 0)
        {
            // KIP-219: the broker asks us to wait before the next request.
            Enter(FetcherPhase.Throttled, throttleMs);
            await Task.Delay(Math.Min(throttleMs, 60_000), stop).ConfigureAwait(false);
        }
    }

    /// <summary>Hands each partition's data on; returns the throttle time the broker asked for.</summary>
    private int Process(FetchResponse response, FetchBuffer frame)
    {
        if (!_session.OnResponse(response))
        {
            var error = (ErrorCode)response.ErrorCode;
            ConsumerLog.SessionReset(_fetcher.Logger, _nodeId, error.Name());
            if (error is not (ErrorCode.FetchSessionIdNotFound or ErrorCode.InvalidFetchSessionEpoch))
            {
                _fetcher.FetchFailed(_nodeId, _targets, new KafkaException(error, $"Fetch from broker {_nodeId} failed: {error.Describe()}"));
            }

            return response.ThrottleTimeMs;
        }

        _index.Clear();
        for (int i = 0; i < _targets.Count; i++)
        {
            _index[_targets[i].Partition.TopicPartition] = i;
        }

        bool mayExceedBudget = true;
        foreach (FetchResponse.FetchableTopicResponse topic in response.Responses)
        {
            foreach (FetchResponse.PartitionData data in topic.Partitions)
            {
                // Only partitions this fetch asked for (directly or through the session) are taken.
                if (topic.Topic is null || !_index.TryGetValue(new TopicPartition(topic.Topic, data.PartitionIndex), out int i))
                {
                    continue;
                }

                mayExceedBudget &= !Handle(_targets[i], data, frame, mayExceedBudget);
            }
        }

        return response.ThrottleTimeMs;
    }

    /// <summary>Hands one partition's result on; returns true when it delivered batches.</summary>
    private bool Handle(in FetchTarget target, FetchResponse.PartitionData data, FetchBuffer frame, bool mayExceedBudget)
    {
        var error = (ErrorCode)data.ErrorCode;
        if (error != ErrorCode.None)
        {
            _fetcher.PartitionFailed(target, error, _nodeId);
            return false;
        }

        if (data.PreferredReadReplica >= 0 && data.PreferredReadReplica != _nodeId)
        {
            _fetcher.SetPreferredReplica(target, data.PreferredReadReplica);
            return false;
        }

        PartitionChunk? chunk = null;
        bool partial = false;
        KafkaException? batchError = null;
        if (data.Records is { Length: > 0 } records && target.Partition.Version == target.Version)
        {
            chunk = _builder.Build(target.Partition, target.Version, target.FetchOffset, records, data.AbortedTransactions, frame, mayExceedBudget,
                out partial, out batchError);
        }

        bool delivered = chunk is { Count: > 0 };
        _fetcher.Deliver(target, data, chunk, partial, batchError);
        return delivered;
    }

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

/// <summary>Where a <see cref="BrokerFetcher"/>'s loop is (diagnostics).</summary>
internal enum FetcherPhase
{
    Starting,
    Idle,
    WaitingForMemory,
    Connecting,
    InFlight,
    Processing,
    Throttled,
    CrashPause,
}
