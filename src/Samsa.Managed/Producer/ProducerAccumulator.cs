using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Samsa.Cluster;
using Samsa.Producer.Partitioning;
using Samsa.Protocol.Records;

namespace Samsa.Producer;

/// <summary>
/// Takes appends from any thread: picks the partition, appends the record to that partition's open batch
/// (closing it when full) and keeps queue.buffering.max.* in check. Messages for topics without metadata wait
/// in their topic until it arrives.
/// </summary>
internal sealed class ProducerAccumulator : IDisposable
{
    private readonly ProducerSettings _settings;
    private readonly KafkaCluster _cluster;
    private readonly IPartitioner _partitioner;
    private readonly BatchPool _pool;
    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly Action _wake;
    private readonly int _maxBatchBytes;
    private readonly long _stickyLingerMs;
    private long _queuedMessages;
    private long _queuedBytes;
    private TaskCompletionSource _spaceFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TopicState[] _topicList = [];
    private TopicState? _lastTopic;

    public ProducerAccumulator(ProducerSettings settings, KafkaCluster cluster, BatchPool pool, Action wake)
    {
        _settings = settings;
        _cluster = cluster;
        _pool = pool;
        _wake = wake;
        _partitioner = settings.CustomPartitioner ?? PartitionerFactory.Create(settings.Partitioner);
        _maxBatchBytes = Math.Min(settings.BatchSize, settings.MessageMaxBytes);
        _stickyLingerMs = Math.Max(1, (long)settings.StickyLinger.TotalMilliseconds);
        cluster.MetadataUpdated += OnMetadata;
    }

    /// <summary>The free batches new batches come from.</summary>
    public BatchPool Pool => _pool;

    /// <summary>Every topic this producer has seen.</summary>
    public TopicState[] Topics => _topicList;

    /// <summary>Messages accepted and not yet reported.</summary>
    public long QueuedMessages => Interlocked.Read(ref _queuedMessages);

    /// <summary>
    /// Checks the record against message.max.bytes and charges it to the buffer; false when the buffer is
    /// full (queue.buffering.max.messages or .kbytes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReserve(long bytes)
    {
        long messages = Interlocked.Increment(ref _queuedMessages);
        long total = Interlocked.Add(ref _queuedBytes, bytes);
        if (messages > _settings.QueueMaxMessages || (total > _settings.QueueMaxBytes && messages > 1))
        {
            // Undo without signalling: nothing was freed, and a waiter woken here would only spin.
            Interlocked.Decrement(ref _queuedMessages);
            Interlocked.Add(ref _queuedBytes, -bytes);
            return false;
        }

        return true;
    }

    /// <summary>Completes when some buffer space has been freed (or at once if there is room now).</summary>
    public Task WaitForSpaceAsync() => Volatile.Read(ref _spaceFreed).Task;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Release(long messages, long bytes)
    {
        Interlocked.Add(ref _queuedMessages, -messages);
        Interlocked.Add(ref _queuedBytes, -bytes);
        TaskCompletionSource freed = Interlocked.Exchange(ref _spaceFreed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        freed.TrySetResult();
    }

    /// <summary>The estimated size a record takes in a batch (what queue.buffering.max.kbytes counts).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long EstimateSize(int keyLength, int valueLength, ReadOnlySpan<RecordHeader> headers)
    {
        long size = 24L + keyLength + valueLength;
        foreach (ref readonly RecordHeader h in headers)
        {
            size += 8 + (h.Key?.Length ?? h.KeyUtf8.Length) * 3L + h.Value.Length;
        }

        return size;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TopicState GetTopic(string topic)
    {
        // Most producers send to one topic with the same string instance: skip hashing the name then.
        TopicState? last = _lastTopic;
        if (last is not null && ReferenceEquals(last.Name, topic))
        {
            return last;
        }

        if (_topics.TryGetValue(topic, out TopicState? state))
        {
            _lastTopic = state;
            return state;
        }

        state = _topics.GetOrAdd(topic, static (name, now) => new TopicState(name, now), Environment.TickCount64);
        lock (_topics)
        {
            if (Array.IndexOf(_topicList, state) < 0)
            {
                _topicList = [.. _topicList, state];
            }
        }

        if (_cluster.Metadata.Topic(topic) is { } info)
        {
            state.Apply(info);
        }

        _cluster.AddTopic(topic);
        return state;
    }

    /// <summary>
    /// Appends an accepted record. Returns false when the topic has no metadata yet or messages are still
    /// waiting for it: the caller then parks a copy with <see cref="Park"/>, behind them. Throws for a
    /// partition that does not exist.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAppend(TopicState topic, int partition, long timestamp, ReadOnlySpan<byte> key, bool keyIsNull,
        ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<RecordHeader> headers, object? callback, object? state, long accountedBytes)
    {
        PartitionState[] partitions = Volatile.Read(ref topic.Partitions);
        if (partitions.Length == 0 || Volatile.Read(ref topic.PendingCount) != 0)
        {
            return false;
        }

        int p = ChoosePartition(topic, partitions.Length, partition, key, keyIsNull);
        AppendTo(partitions[p], timestamp, key, keyIsNull, value, valueIsNull, headers, callback, state, accountedBytes);
        return true;
    }

    /// <summary>
    /// Queues a copy of a message behind those waiting for the topic's metadata, or appends it when the
    /// metadata has arrived and nothing waits any more. Order per partition is kept either way.
    /// </summary>
    public void Park(TopicState topic, int partition, long timestamp, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value,
        bool valueIsNull, ReadOnlySpan<RecordHeader> headers, object? callback, object? state, long accountedBytes)
    {
        lock (topic.Lock)
        {
            if (topic.Partitions.Length == 0 || topic.Pending.Count > 0)
            {
                topic.Pending.Enqueue(partition, key, keyIsNull, value, valueIsNull, headers, timestamp, callback, state,
                    Environment.TickCount64, accountedBytes);
                Volatile.Write(ref topic.PendingCount, topic.Pending.Count);
                return;
            }

            PartitionState[] partitions = Volatile.Read(ref topic.Partitions);
            int p = ChoosePartition(topic, partitions.Length, partition, key, keyIsNull);
            AppendTo(partitions[p], timestamp, key, keyIsNull, value, valueIsNull, headers, callback, state, accountedBytes);
        }
    }

    /// <summary>Moves parked messages into batches, in order, once the topic has partitions; returns how many moved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int DrainPending(TopicState topic)
    {
        lock (topic.Lock)
        {
            if (topic.Partitions.Length == 0)
            {
                return 0;
            }

            int moved = 0;
            PartitionState[] partitions = Volatile.Read(ref topic.Partitions);
            while (topic.Pending.TryPeek(out PendingRecord m))
            {
                try
                {
                    int p = ChoosePartition(topic, partitions.Length, m.Partition, m.Key, m.KeyIsNull);
                    AppendTo(partitions[p], m.Timestamp, m.Key, m.KeyIsNull, m.Value, m.ValueIsNull, m.Headers, m.Callback, m.State, m.AccountedBytes);
                    topic.Pending.Dequeue();
                }
                catch (KafkaException ex)
                {
                    // An explicit partition that does not exist: fail that message alone.
                    FailParked?.Invoke(topic, topic.Pending.DequeueForFailure(), ex);
                }

                moved++;
            }

            Volatile.Write(ref topic.PendingCount, 0);
            return moved;
        }
    }

    /// <summary>Reports a parked message that can never be appended (set by the sender).</summary>
    public Action<TopicState, PendingMessage, KafkaException>? FailParked { get; set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ChoosePartition(TopicState topic, int count, int requested, ReadOnlySpan<byte> key, bool keyIsNull)
    {
        if (requested >= 0)
        {
            if (requested >= count)
            {
                throw new KafkaException(ErrorCode.LocalUnknownPartition,
                    $"Partition {requested} of topic '{topic.Name}' does not exist (the topic has {count}).");
            }

            return requested;
        }

        int chosen = _partitioner.Partition(topic.Name, key, keyIsNull, count);
        if (chosen >= 0)
        {
            if (chosen >= count)
            {
                throw new KafkaException(ErrorCode.LocalUnknownPartition,
                    $"The partitioner chose partition {chosen} of topic '{topic.Name}', which has {count}.");
            }

            return chosen;
        }

        return Sticky(topic, count);
    }

    /// <summary>KIP-480: keyless messages stick to one partition for sticky.partitioning.linger.ms, then move on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Sticky(TopicState topic, int count)
    {
        long now = Environment.TickCount64;
        int current = Volatile.Read(ref topic.StickyPartition);
        if (current >= 0 && current < count && now - Volatile.Read(ref topic.StickySince) < _stickyLingerMs)
        {
            return current;
        }

        int[] available = topic.Available;
        int next = available.Length > 0 ? available[Random.Shared.Next(available.Length)] : Random.Shared.Next(count);
        if (next >= count)
        {
            next = Random.Shared.Next(count);
        }

        Volatile.Write(ref topic.StickySince, now);
        Volatile.Write(ref topic.StickyPartition, next);
        return next;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendTo(PartitionState ps, long timestamp, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value,
        bool valueIsNull, ReadOnlySpan<RecordHeader> headers, object? callback, object? state, long accountedBytes)
    {
        bool wake = false;
        ProducerBatch? rented = null;
        lock (ps.Lock)
        {
            ProducerBatch? batch = ps.Open;
            if (batch is null)
            {
                batch = rented = _pool.Rent();
                batch.Start(ps, Environment.TickCount64, _settings.DeliveryTimeoutMs);
                ps.Open = batch;
                wake = true;
            }

            if (!batch.TryAppend(timestamp, key, keyIsNull, value, valueIsNull, headers, _maxBatchBytes, callback, state))
            {
                ps.Ready.AddLast(batch);
                batch = _pool.Rent();
                batch.Start(ps, Environment.TickCount64, _settings.DeliveryTimeoutMs);
                ps.Open = batch;
                batch.TryAppend(timestamp, key, keyIsNull, value, valueIsNull, headers, _maxBatchBytes, callback, state);
                wake = true;
            }

            batch.AccountedBytes += accountedBytes;
            if (batch.Count >= _settings.BatchNumMessages || batch.SizeInBytes >= _maxBatchBytes)
            {
                ps.CloseOpen();
                wake = true;
            }
        }

        _ = rented;
        if (wake)
        {
            _wake();
        }
    }

    private void OnMetadata(ClusterMetadata metadata)
    {
        bool any = false;
        foreach (TopicState topic in _topicList)
        {
            if (metadata.Topic(topic.Name) is { } info)
            {
                topic.Apply(info);
                if (Volatile.Read(ref topic.PendingCount) != 0)
                {
                    any |= DrainPending(topic) > 0;
                }
            }
        }

        if (any)
        {
            _wake();
        }
    }

    public void Dispose() => _cluster.MetadataUpdated -= OnMetadata;
}
