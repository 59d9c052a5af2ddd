using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Network;

namespace Samsa.Producer;

/// <summary>
/// The producer's one sending loop: closes batches whose linger has passed, expires those past
/// delivery.timeout.ms, groups ready batches by partition leader and sends one Produce request per broker
/// (one batch per partition), up to max.in.flight per connection. Responses are handled as they arrive
/// (<see cref="ProducerSender"/>.Responses.cs); the idempotent identity in .Idempotence.cs.
/// </summary>
internal sealed partial class ProducerSender : IAsyncDisposable
{
    private readonly ProducerSettings _settings;
    private readonly KafkaCluster _cluster;
    private readonly ProducerAccumulator _accumulator;
    private readonly ChannelWriter<Completion> _completions;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly HashSet<int> _connecting = [];
    private readonly Dictionary<int, List<PartitionState>> _byLeader = [];
    private readonly long _lingerMs;
    private readonly Task _loop;
    private int _flushRequests;
    private volatile bool _closing;
    private volatile bool _aborting;
    private int _inFlightRequests;

    public ProducerSender(ProducerSettings settings, KafkaCluster cluster, ProducerAccumulator accumulator, ChannelWriter<Completion> completions, ILogger logger)
    {
        _settings = settings;
        _cluster = cluster;
        _accumulator = accumulator;
        _completions = completions;
        _logger = logger;
        _lingerMs = (long)settings.Linger.TotalMilliseconds;
        _cluster.ConnectionLost += _ => Wake();
        _cluster.SecurityFailure += OnSecurityFailure;
        _accumulator.FailParked = (topic, message, error) => _completions.TryWrite(new Completion(
            null, message, topic.Name, message.Partition, error.Error, error.Message, -1, -1, PersistenceStatus.NotPersisted));
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Requests being answered right now, over all brokers.</summary>
    public int InFlightRequests => Volatile.Read(ref _inFlightRequests);

    /// <summary>Wakes the loop (new batch, full batch, response, flush).</summary>
    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>While at least one flush is waiting, batches go out without lingering.</summary>
    public void BeginFlush()
    {
        Interlocked.Increment(ref _flushRequests);
        Wake();
    }

    public void EndFlush() => Interlocked.Decrement(ref _flushRequests);

    private async Task RunAsync()
    {
        while (true)
        {
            long now = Environment.TickCount64;
            long nextWake = now + 100;
            try
            {
                if (RunOnce(now, ref nextWake))
                {
                    break;
                }

                // The loop passes at least once a second: free batches unused for a whole interval go.
                _accumulator.Pool.Trim(now);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A bug here must not stop the producer silently: log it and keep going.
                _logger.LogError(ex, "Producer send loop error");
                nextWake = now + 100;
            }

            int wait = (int)Math.Clamp(nextWake - Environment.TickCount64, 1, 1000);
            try
            {
                await _signal.WaitAsync(wait).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                break;
            }
        }
    }

    /// <summary>One pass; returns true when the loop may stop (closing and nothing left).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool RunOnce(long now, ref long nextWake)
    {
        bool flushing = _closing || Volatile.Read(ref _flushRequests) > 0;
        bool canSend = !_aborting && (!_settings.Idempotence || EnsureProducerId());
        ClusterMetadata metadata = _cluster.Metadata;
        HandleSecurityFailures(metadata);
        bool anyQueued = false;
        foreach (List<PartitionState> list in _byLeader.Values)
        {
            list.Clear();
        }

        foreach (TopicState topic in _accumulator.Topics)
        {
            anyQueued |= HandlePending(topic, now);
            foreach (PartitionState ps in Volatile.Read(ref topic.Partitions))
            {
                int leader = metadata.LeaderOf(ps.Topic, ps.Partition);
                lock (ps.Lock)
                {
                    anyQueued |= ps.HasQueued || ps.Retrying.Count > 0 || (!_aborting && ps.InFlight.Count > 0);
                    if (ps.Open is { } open)
                    {
                        if (flushing || now - open.CreatedAt >= _lingerMs || now >= open.Deadline)
                        {
                            ps.CloseOpen();
                        }
                        else
                        {
                            nextWake = Math.Min(nextWake, open.CreatedAt + _lingerMs);
                        }
                    }

                    ExpireLocked(ps, now);
                    if (!canSend || ps.Draining || ps.Ready.First is not { } first || ps.InFlight.Count >= _settings.MaxInFlight)
                    {
                        continue;
                    }

                    if (first.Value.NotBefore > now)
                    {
                        nextWake = Math.Min(nextWake, first.Value.NotBefore);
                        continue;
                    }
                }

                if (leader < 0)
                {
                    _cluster.RequestRefresh();
                    continue;
                }

                lock (ps.Lock)
                {
                    // After a leader change, wait for what is in flight to the old leader to come back (and be
                    // retried in order) before sending anything to the new one: order then never depends on the
                    // broker checking sequence numbers.
                    if (ps.InFlight.Count > 0 && ps.InFlightBroker != leader)
                    {
                        continue;
                    }
                }

                if (!_byLeader.TryGetValue(leader, out List<PartitionState>? forLeader))
                {
                    _byLeader[leader] = forLeader = [];
                }

                forLeader.Add(ps);
            }
        }

        foreach (var (leader, partitions) in _byLeader)
        {
            if (partitions.Count > 0)
            {
                SendTo(leader, partitions, now);
            }
        }

        // When aborting, in-flight requests are left to fail as the connections close; their results still
        // reach the delivery reports through their own continuations.
        return _closing && !anyQueued && (_aborting || Volatile.Read(ref _inFlightRequests) == 0);
    }

    /// <summary>Moves parked messages into batches, or fails them when their topic will not appear.</summary>
    private bool HandlePending(TopicState topic, long now)
    {
        if (Volatile.Read(ref topic.PendingCount) == 0)
        {
            return false;
        }

        if (topic.PartitionCount > 0)
        {
            _accumulator.DrainPending(topic);
            return true;
        }

        bool propagationOver = now - topic.CreatedAt >= (long)_settings.TopicMetadataPropagationMax.TotalMilliseconds;
        ErrorCode error = topic.MetadataError;
        bool fatal = error is not ErrorCode.None and not ErrorCode.UnknownTopicOrPartition && !error.IsRetriable();
        while (true)
        {
            lock (topic.Lock)
            {
                if (!topic.Pending.TryPeek(out PendingRecord oldest))
                {
                    return false;
                }

                bool expired = now - oldest.EnqueuedAt >= _settings.DeliveryTimeoutMs;
                if (!(_aborting || fatal || propagationOver || expired))
                {
                    return true;
                }

                PendingMessage message = topic.Pending.DequeueForFailure();
                Volatile.Write(ref topic.PendingCount, topic.Pending.Count);
                ErrorCode code = _aborting ? ErrorCode.LocalDestroy
                    : fatal ? error
                    : error == ErrorCode.None && expired ? ErrorCode.LocalMsgTimedOut
                    : ErrorCode.UnknownTopicOrPartition;
                string reason = code switch
                {
                    ErrorCode.LocalDestroy => "The producer was disposed before the message's topic metadata arrived.",
                    ErrorCode.UnknownTopicOrPartition =>
                        $"Topic '{topic.Name}' does not exist (no metadata within {(long)_settings.TopicMetadataPropagationMax.TotalMilliseconds} ms; allow.auto.create.topics is off or the broker refused).",
                    ErrorCode.LocalMsgTimedOut => $"Message timed out after delivery.timeout.ms={_settings.DeliveryTimeoutMs} waiting for topic '{topic.Name}'.",
                    _ => $"Topic '{topic.Name}': {code.Describe()}",
                };
                _completions.TryWrite(new Completion(null, message, topic.Name, message.Partition, code, reason, -1, -1, PersistenceStatus.NotPersisted));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SendTo(int leader, List<PartitionState> partitions, long now)
    {
        KafkaConnection? connection = _cluster.TryGetConnected(leader);
        if (connection is null)
        {
            StartConnecting(leader);
            return;
        }

        if (connection.InFlight >= _settings.MaxInFlight)
        {
            return;
        }

        var request = new Protocol.Messages.ProduceRequest { Acks = _settings.Acks, TimeoutMs = (int)_settings.RequestTimeout.TotalMilliseconds };
        var batches = new List<ProducerBatch>(partitions.Count);
        long requestBytes = 0;
        foreach (PartitionState ps in partitions)
        {
            ProducerBatch batch;
            lock (ps.Lock)
            {
                if (ps.Draining || ps.Ready.First is not { } first || first.Value.NotBefore > now || ps.InFlight.Count >= _settings.MaxInFlight)
                {
                    continue;
                }

                batch = first.Value;
                if (requestBytes > 0 && requestBytes + batch.SizeInBytes > _settings.MessageMaxBytes)
                {
                    break;
                }

                if (ps.InFlight.Count > 0 && (ps.InFlightBroker != leader || ps.InFlightConnection != connection))
                {
                    continue;
                }

                ps.Ready.RemoveFirst();
                AssignSequenceLocked(ps, batch);
                ps.InFlight.Add(batch);
                ps.InFlightBroker = leader;
                ps.InFlightConnection = connection;
                batch.Attempts++;
            }

            SealIfNeeded(batch);
            requestBytes += batch.Wire.Length;
            AddToRequest(request, batch);
            batches.Add(batch);
        }

        if (batches.Count == 0)
        {
            return;
        }

        if (_settings.Acks == 0)
        {
            SendWithoutAcks(connection, request, batches);
            return;
        }

        Interlocked.Increment(ref _inFlightRequests);
        _ = SendRequestAsync(connection, request, batches);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddToRequest(Protocol.Messages.ProduceRequest request, ProducerBatch batch)
    {
        Protocol.Messages.ProduceRequest.TopicProduceData? topic = null;
        List<Protocol.Messages.ProduceRequest.TopicProduceData> topics = request.TopicData;
        for (int i = topics.Count - 1; i >= 0; i--)
        {
            if (topics[i].Name == batch.Partition.Topic)
            {
                topic = topics[i];
                break;
            }
        }

        if (topic is null)
        {
            topic = new Protocol.Messages.ProduceRequest.TopicProduceData { Name = batch.Partition.Topic };
            topics.Add(topic);
        }

        topic.PartitionData.Add(new Protocol.Messages.ProduceRequest.PartitionProduceData { Index = batch.Partition.Partition, Records = batch.Wire });
    }

    private void StartConnecting(int leader)
    {
        lock (_connecting)
        {
            if (!_connecting.Add(leader))
            {
                return;
            }
        }

        _ = ConnectAsync(leader);
    }

    private async Task ConnectAsync(int leader)
    {
        try
        {
            await _cluster.GetConnectionAsync(leader, _cluster.ShutdownToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("Producer could not connect to broker {Broker}: {Reason}", leader, ex.Message);
        }
        finally
        {
            lock (_connecting)
            {
                _connecting.Remove(leader);
            }

            Wake();
        }
    }

    /// <summary>A short description of what is still queued or in flight, per partition (for logs when a flush times out).</summary>
    public string DescribeBacklog()
    {
        var sb = new System.Text.StringBuilder();
        int shown = 0;
        foreach (TopicState topic in _accumulator.Topics)
        {
            if (topic.Pending.Count > 0)
            {
                sb.Append($"{topic.Name}: {topic.Pending.Count} waiting for metadata; ");
            }

            foreach (PartitionState ps in Volatile.Read(ref topic.Partitions))
            {
                lock (ps.Lock)
                {
                    if (!ps.HasQueued && ps.InFlight.Count == 0 && ps.Retrying.Count == 0)
                    {
                        continue;
                    }

                    if (shown++ < 20)
                    {
                        long now = Environment.TickCount64;
                        sb.Append($"{ps}: open={(ps.Open is null ? 0 : ps.Open.Count)} ready={ps.Ready.Count}")
                          .Append($" inflight={ps.InFlight.Count} retrying={ps.Retrying.Count} draining={ps.Draining}")
                          .Append($" leader={_cluster.Metadata.LeaderOf(ps.Topic, ps.Partition)}")
                          .Append(ps.Ready.First is { } f ? $" firstNotBeforeIn={f.Value.NotBefore - now}ms attempts={f.Value.Attempts}" : string.Empty)
                          .Append("; ");
                    }
                }
            }
        }

        sb.Append($"requests in flight={Volatile.Read(ref _inFlightRequests)}, idempotence ready={_producerId >= 0 && !_bumpRequested}");
        return sb.ToString();
    }

    /// <summary>Stops taking new sends once everything queued is out; then fails what is left if told to abort.</summary>
    public async Task CloseAsync(bool abort)
    {
        _closing = true;
        _aborting |= abort;
        Wake();
        await _loop.ConfigureAwait(false);
    }

    /// <summary>Makes every queued batch fail at the next pass instead of being sent or retried.</summary>
    public void Abort()
    {
        _aborting = true;
        _closing = true;
        Wake();
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _loop.ConfigureAwait(false);
        _signal.Dispose();
    }
}
