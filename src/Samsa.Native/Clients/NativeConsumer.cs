using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Samsa.Native.Abi;
using Samsa.Native.Interop;

namespace Samsa.Native.Clients;

/// <summary>
/// A samsa_consumer_t: the public <see cref="Consumer{TKey, TValue}"/>, read through its raw, zero-copy consume
/// call. Every call is serialized by one lock (re-entrant: a rebalance callback may commit or assign). The
/// managed consumer runs its rebalance and error handlers inside the consume call on the polling thread; the
/// rebalance handler becomes the C callback there, errors become error messages returned by poll. Close is
/// the exception (its revoke handler may run on a pool thread after an await): the closing thread pumps those
/// callbacks so that C still sees them on its own thread (see NativeConsumer.Callbacks.cs).
/// </summary>
internal sealed unsafe partial class NativeConsumer : IDisposable
{
    private readonly Consumer<byte[], byte[]> _consumer;
    private readonly MessagePool _messages = new();
    private readonly object _gate = new();
    private readonly ConcurrentQueue<KafkaException> _errors = new();
    private readonly LogQueue? _logs;
    private readonly delegate* unmanaged<int, byte*, byte*, void*, void> _logCallback;
    private readonly void* _logOpaque;
    private int _closed;
    private int _disposed;

    private NativeConsumer(NativeConf conf, ConsumerConfig config, LogQueue? logs)
    {
        _logCallback = conf.LogCallback;
        _logOpaque = conf.LogOpaque;
        _rebalanceCallback = conf.RebalanceCallback;
        _rebalanceOpaque = conf.RebalanceOpaque;
        _logs = logs;
        var builder = new ConsumerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => _errors.Enqueue(error));
        if (logs is not null)
        {
            builder.SetLoggerFactory(new QueueLoggerFactory(logs, NativeProducer.MaxLogLevel(config)));
        }

        if (_rebalanceCallback is not null)
        {
            builder.SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
                .SetPartitionsRevokedHandler((_, partitions) => OnRebalance(Constants.SAMSA_REBALANCE_REVOKED, partitions))
                .SetPartitionsLostHandler((_, partitions) => OnRebalance(Constants.SAMSA_REBALANCE_LOST, partitions));
        }

        _consumer = builder.Build();
    }

    /// <summary>
    /// queued.max.messages.kbytes when the application does not set it: 1 MiB instead of the managed client's 64
    /// MiB (librdkafka's default). Read at full speed, a small prefetch budget costs little (the fetch loop keeps
    /// a response or two ahead of the application; each fetch reserves what its broker's answers overshoot the
    /// asked size by) and keeps the consumer's peak RSS near 13 MB instead of ~80 (measured in BENCHMARKS.md).
    /// Applications that read in bursts or from far brokers set it higher: 2048 read a million messages from the
    /// test cluster in 0.9–1.2 s instead of 1.0–1.6 s, for ~1.2 MB more.
    /// </summary>
    public const string DefaultQueuedMaxMessagesKbytes = "1024";

    /// <summary>Builds the consumer from the conf's properties (validated: a <see cref="ConfigException"/> names any problem).</summary>
    public static NativeConsumer Create(NativeConf conf)
    {
        // The C library's own default comes first: a value the application set overrides it.
        KeyValuePair<string, string>[] properties = [new("queued.max.messages.kbytes", DefaultQueuedMaxMessagesKbytes), .. conf.Properties];
        ConsumerConfig config = NativeTokenRefresh.Apply(conf, ConsumerConfig.FromProperties(properties));
        LogQueue? logs = conf.LogCallback is null ? null : new LogQueue();
        return new NativeConsumer(conf, config, logs);
    }

    /// <summary>This consumer's handle, passed to the rebalance callback.</summary>
    public nint Handle { get; set; }

    public int Subscribe(byte** topics, nuint count)
    {
        if (topics is null || count == 0)
        {
            return Errors.Invalid("topics is NULL or topic_cnt is 0 (subscribe to at least one topic)");
        }

        var names = new List<string>((int)Math.Min(count, 1024));
        for (nuint i = 0; i < count; i++)
        {
            if (topics[i] is null)
            {
                return Errors.Invalid($"topics[{i}] is NULL");
            }

            names.Add(Utf8.Decode(topics[i], "topic name"));
        }

        lock (_gate)
        {
            if (IsClosed(out int closed))
            {
                return closed;
            }

            int previous = Enter();
            try
            {
                _consumer.Subscribe(names); // replacing a subscription may revoke partitions (callback on this thread)
            }
            finally
            {
                Leave(previous);
            }

            Errors.Clear();
            return Errors.Ok;
        }
    }

    public int Assign(SamsaTopicPartition* partitions, nuint count)
    {
        if (partitions is null && count != 0)
        {
            return Errors.Invalid("partitions is NULL with a non-zero partition_cnt");
        }

        var list = new List<TopicPartitionOffset>((int)Math.Min(count, 4096));
        for (nuint i = 0; i < count; i++)
        {
            ref SamsaTopicPartition p = ref partitions[i];
            if (p.Topic is null)
            {
                return Errors.Invalid($"partitions[{i}].topic is NULL");
            }

            list.Add(new TopicPartitionOffset(Utf8.Decode(p.Topic, "topic name"), p.Partition, new Offset(p.Offset)));
        }

        lock (_gate)
        {
            if (IsClosed(out int closed))
            {
                return closed;
            }

            int previous = Enter();
            try
            {
                if (list.Count == 0)
                {
                    _consumer.Unassign();
                }
                else
                {
                    _consumer.Assign(list);
                }
            }
            finally
            {
                Leave(previous);
            }

            Errors.Clear();
            return Errors.Ok;
        }
    }

    /// <summary>The next message or error event, or null on timeout; logs and rebalance callbacks are served on this thread.</summary>
    public SamsaMessage* Poll(int timeoutMs)
    {
        lock (_gate)
        {
            if (IsClosed(out int closed))
            {
                return _messages.FromError(closed, "The consumer is closed (samsa_consumer_close() was called): destroy it.", null,
                    Constants.SAMSA_PARTITION_UA, Constants.SAMSA_OFFSET_INVALID);
            }

            int previous = Enter();
            try
            {
                ServeLogs();
                if (_errors.TryDequeue(out KafkaException? waiting))
                {
                    return ErrorMessage(waiting);
                }

                TimeSpan timeout = timeoutMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMs);
                ConsumedRecord record;
                bool got;
                try
                {
                    got = _consumer.TryConsumeRaw(out record, timeout);
                }
                catch (KafkaException e)
                {
                    ServeLogs();
                    return ErrorMessage(e);
                }

                ServeLogs();
                if (got)
                {
                    return record.IsPartitionEof
                        ? _messages.FromError((int)ErrorCode.LocalPartitionEof,
                            $"Reached the end of {record.Topic} [{record.Partition}] at offset {record.Offset}.", record.Topic, record.Partition, record.Offset)
                        : _messages.FromRecord(record);
                }

                return _errors.TryDequeue(out KafkaException? error) ? ErrorMessage(error) : null;
            }
            finally
            {
                Leave(previous);
            }
        }
    }

    private SamsaMessage* ErrorMessage(KafkaException e)
    {
        TopicPartitionOffset? where = (e as ConsumeException)?.TopicPartitionOffset;
        return _messages.FromError((int)e.Error, e.Reason, where?.Topic, where?.Partition ?? Constants.SAMSA_PARTITION_UA,
            where?.Offset.Value ?? Constants.SAMSA_OFFSET_INVALID);
    }

    /// <summary>Commits the consumed positions; async failures come back as error messages from poll.</summary>
    public int Commit(bool asynchronous)
    {
        lock (_gate)
        {
            if (IsClosed(out int closed) && !InCallback)
            {
                return closed;
            }

            if (!asynchronous)
            {
                _consumer.Commit();
                Errors.Clear();
                return Errors.Ok;
            }

            Task commit = _consumer.CommitAsync();
            if (commit.IsCompleted)
            {
                commit.GetAwaiter().GetResult(); // fails at once (no group, nothing to commit): report it now
            }
            else
            {
                _ = commit.ContinueWith(static (task, state) => ((NativeConsumer)state!).CommitFailed(task.Exception!), this,
                    CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            Errors.Clear();
            return Errors.Ok;
        }
    }

    private void CommitFailed(AggregateException failure)
    {
        Exception e = failure.InnerException ?? failure;
        _errors.Enqueue(e as KafkaException ?? new KafkaException(ErrorCode.LocalFail, $"An asynchronous commit failed: {e.Message}", e));
    }

    /// <summary>
    /// Revokes the assignment (the rebalance callback runs, on this thread), commits when auto-commit is on,
    /// leaves the group and stops fetching. Messages not yet destroyed stay valid. A second close does nothing.
    /// </summary>
    public int Close()
    {
        lock (_gate)
        {
            if (InCallback)
            {
                return Errors.Set((int)ErrorCode.LocalState, "samsa_consumer_close() cannot be called from a callback of the same consumer.");
            }

            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                Errors.Clear();
                return Errors.Ok;
            }

            int previous = Enter();
            try
            {
                PumpUntil(_consumer.CloseAsync().AsTask());
            }
            finally
            {
                Leave(previous);
            }

            ServeLogs();
            Errors.Clear();
            return Errors.Ok;
        }
    }

    private bool IsClosed(out int code)
    {
        code = 0;
        if (Volatile.Read(ref _closed) == 0)
        {
            return false;
        }

        code = Errors.Set((int)ErrorCode.LocalState, "The consumer is closed (samsa_consumer_close() was called).");
        return true;
    }

    private void ServeLogs()
    {
        if (_logs is null)
        {
            return;
        }

        while (_logs.TryTake(out LogQueue.LogLine line))
        {
            LogBridge.Invoke(_logCallback, _logOpaque, line);
        }
    }

    /// <summary>Closes (when not closed yet) and frees the consumer; messages not yet destroyed stay valid until destroyed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            Close();
        }
        finally
        {
            _messages.Close();
        }
    }
}
