using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Protocol.Records;

namespace Samsa.Producer;

/// <summary>
/// The byte-level producer behind the public producer types: accepts records, owns the cluster view, the
/// accumulator, the sender and the delivery-report loop, and implements flush and shutdown.
/// </summary>
/// <remarks>
/// The per-message methods here and below (accumulator, batch, record builder, serializer, dispatch) are marked
/// <see cref="MethodImplOptions.AggressiveOptimization"/>: a producer typically runs a short burst, and these
/// methods spent much of it in tier-0 and instrumented code (and the JIT compiling each of them three times)
/// before tiering caught up. Compiled once, optimized, they cost the same from the first message on.
/// </remarks>
internal sealed class ProducerEngine : IAsyncDisposable
{
    private readonly ProducerSettings _settings;
    private readonly KafkaCluster _cluster;
    private readonly BatchPool _pool;
    private readonly ProducerAccumulator _accumulator;
    private readonly ProducerSender _sender;
    private readonly Channel<Completion> _completions;
    private readonly IDeliveryDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly Task _deliveryLoop;
    private readonly object _flushLock = new();
    private TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    public ProducerEngine(ProducerSettings settings, ClusterOptions clusterOptions, IDeliveryDispatcher dispatcher, ILogger logger)
    {
        _settings = settings;
        _dispatcher = dispatcher;
        _logger = logger;
        _cluster = new KafkaCluster(clusterOptions);
        _pool = BatchPool.For(settings);
        _completions = Channel.CreateUnbounded<Completion>(new UnboundedChannelOptions { SingleReader = true });
        _accumulator = new ProducerAccumulator(settings, _cluster, _pool, Wake);
        _sender = new ProducerSender(settings, _cluster, _accumulator, _completions.Writer, logger);
        _deliveryLoop = Task.Run(DeliveryLoopAsync);
        _drained.TrySetResult();
        clusterOptions.Connection.Metrics?.ObserveGauge("samsa.producer.queue.messages", "{record}",
            "Messages accepted by the producer and not yet reported.", () => _accumulator.QueuedMessages);
    }

    public ProducerSettings Settings => _settings;

    internal KafkaCluster Cluster => _cluster;

    internal ProducerSender Sender => _sender;

    /// <summary>Messages accepted and not yet reported.</summary>
    public long QueuedMessages => _accumulator.QueuedMessages;

    private void Wake() => _sender?.Wake();

    /// <summary>
    /// Accepts one record. Throws at once for what can never succeed (disposed, too large, unknown partition)
    /// and, unless <paramref name="waitForSpace"/> is used by the async path, for a full buffer
    /// (<see cref="ErrorCode.LocalQueueFull"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Produce(string topic, int partition, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers, long timestamp, object? callback, object? state)
    {
        long size = Check(topic, partition, key.Length, value.Length, headers);
        if (!_accumulator.TryReserve(size))
        {
            throw new KafkaException(ErrorCode.LocalQueueFull,
                $"The producer queue is full ({_settings.QueueMaxMessages} messages or {_settings.QueueMaxBytes / 1024} KiB: queue.buffering.max.messages / queue.buffering.max.kbytes); wait for deliveries or flush.");
        }

        Append(topic, partition, key, keyIsNull, value, valueIsNull, headers, timestamp, callback, state, size);
    }

    /// <summary>Like <see cref="Produce"/>, but waits (cancellably) for buffer space instead of failing.</summary>
    public async ValueTask ProduceAsync(string topic, int partition, ReadOnlyMemory<byte> key, bool keyIsNull, ReadOnlyMemory<byte> value, bool valueIsNull,
        ReadOnlyMemory<RecordHeader> headers, long timestamp, object? callback, object? state, CancellationToken cancellationToken)
    {
        long size = Check(topic, partition, key.Length, value.Length, headers.Span);
        while (!_accumulator.TryReserve(size))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task space = _accumulator.WaitForSpaceAsync();
            if (_accumulator.TryReserve(size))
            {
                break;
            }

            try
            {
                await space.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Re-check: space may have been freed between the reservation and the wait.
            }

            ThrowIfDisposed();
        }

        Append(topic, partition, key.Span, keyIsNull, value.Span, valueIsNull, headers.Span, timestamp, callback, state, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Check(string topic, int partition, int keyLength, int valueLength, ReadOnlySpan<RecordHeader> headers)
    {
        ThrowIfDisposed();
        if (string.IsNullOrEmpty(topic))
        {
            throw new ArgumentException("The topic name is empty.", nameof(topic));
        }

        if (partition < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, "A partition is -1 (let the partitioner choose) or a partition number.");
        }

        long size = ProducerAccumulator.EstimateSize(keyLength, valueLength, headers);
        if (size + 61 > _settings.MessageMaxBytes)
        {
            throw new KafkaException(ErrorCode.MessageTooLarge,
                $"The message is {size} bytes (with overhead); message.max.bytes is {_settings.MessageMaxBytes}.");
        }

        return size;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(string topic, int partition, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers, long timestamp, object? callback, object? state, long size)
    {
        try
        {
            TopicState t = _accumulator.GetTopic(topic);
            if (!_accumulator.TryAppend(t, partition, timestamp, key, keyIsNull, value, valueIsNull, headers, callback, state, size))
            {
                _accumulator.Park(t, partition, timestamp, key, keyIsNull, value, valueIsNull, headers, callback, state, size);
                Wake();
            }
        }
        catch
        {
            _accumulator.Release(1, size);
            throw;
        }
    }

    /// <summary>Waits until every message accepted so far is reported; returns how many are still outstanding.</summary>
    public async Task<long> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _sender.BeginFlush();
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                cts.CancelAfter(timeout);
            }

            while (_accumulator.QueuedMessages > 0)
            {
                Task drained;
                lock (_flushLock)
                {
                    if (_drained.Task.IsCompleted)
                    {
                        _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    drained = _drained.Task;
                }

                if (_accumulator.QueuedMessages == 0)
                {
                    break;
                }

                try
                {
                    await drained.WaitAsync(TimeSpan.FromMilliseconds(50), cts.Token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            long left = _accumulator.QueuedMessages;
            if (left > 0)
            {
                _logger.LogWarning("Flush ended with {Count} messages not yet delivered: {Backlog}", left, _sender.DescribeBacklog());
            }

            return left;
        }
        finally
        {
            _sender.EndFlush();
        }
    }

    private async Task DeliveryLoopAsync()
    {
        ChannelReader<Completion> reader = _completions.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out Completion completion))
            {
                Deliver(completion);
            }

            if (_accumulator.QueuedMessages == 0)
            {
                lock (_flushLock)
                {
                    _drained.TrySetResult();
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Deliver(in Completion c)
    {
        if (_cluster.Options.Connection.Metrics is { } metrics)
        {
            int records = c.Single is not null ? 1 : c.Batch!.Count;
            (c.Error == ErrorCode.None ? metrics.RecordsDelivered : metrics.RecordsFailed).Add(records);
        }

        if (c.Single is { } single)
        {
            var ev = new DeliveryEvent(c.Topic, c.Partition, -1, single.Timestamp, TimestampType.CreateTime, c.Error, c.ErrorMessage, c.Status);
            Invoke(ev, single.Callback, single.State);
            _accumulator.Release(1, single.AccountedBytes);
            return;
        }

        ProducerBatch batch = c.Batch!;
        ReadOnlySpan<RecordSlot> slots = batch.Slots;
        bool logAppend = c.LogAppendTime >= 0;
        for (int i = 0; i < slots.Length; i++)
        {
            ref readonly RecordSlot slot = ref slots[i];
            long offset = c.BaseOffset >= 0 ? c.BaseOffset + i : -1;
            var ev = new DeliveryEvent(c.Topic, c.Partition, offset, logAppend ? c.LogAppendTime : slot.Timestamp,
                logAppend ? TimestampType.LogAppendTime : TimestampType.CreateTime, c.Error, c.ErrorMessage, c.Status);
            Invoke(ev, slot.Callback, slot.State);
        }

        _accumulator.Release(slots.Length, batch.AccountedBytes);
        _pool.Return(batch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Invoke(in DeliveryEvent ev, object? callback, object? state)
    {
        try
        {
            _dispatcher.Dispatch(ev, callback, state);
        }
        catch (Exception ex)
        {
            // A throwing delivery handler must not stop the reports of every other message.
            _logger.LogError(ex, "A delivery handler threw for {Topic} [{Partition}]", ev.Topic, ev.Partition);
        }
    }

    internal void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException("Producer", "The producer has been disposed.");
        }
    }

    /// <summary>
    /// Flushes for up to <paramref name="flushTimeout"/>, then fails whatever is left with
    /// <see cref="ErrorCode.LocalDestroy"/>; every accepted message gets exactly one report before this returns.
    /// </summary>
    public async ValueTask DisposeAsync(TimeSpan flushTimeout)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await FlushAsync(flushTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _sender.Abort();
            await _sender.CloseAsync(abort: true).ConfigureAwait(false);
            await _cluster.DisposeAsync().ConfigureAwait(false);
            long giveUp = Environment.TickCount64 + 30_000;
            while (_sender.InFlightRequests > 0 && Environment.TickCount64 < giveUp)
            {
                await Task.Delay(10).ConfigureAwait(false);
            }

            _completions.Writer.TryComplete();
            await _deliveryLoop.ConfigureAwait(false);
            await _sender.DisposeAsync().ConfigureAwait(false);
            _accumulator.Dispose();
            _pool.Dispose();
        }
    }

    public ValueTask DisposeAsync() => DisposeAsync(TimeSpan.FromSeconds(30));
}
