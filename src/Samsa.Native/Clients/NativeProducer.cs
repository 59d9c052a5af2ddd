using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Samsa.Native.Abi;
using Samsa.Native.Interop;
using Samsa.Protocol.Records;

namespace Samsa.Native.Clients;

/// <summary>
/// A samsa_producer_t: the public <see cref="Producer{TKey, TValue}"/> of raw bytes, plus the queues that bring
/// its delivery reports and log lines to the application's thread (C callbacks run only inside samsa_poll and
/// samsa_flush). Reports are queued as structs: nothing is allocated per message unless it has headers.
/// </summary>
internal sealed unsafe class NativeProducer : IDeliveryHandler, IDisposable
{
    private readonly Producer<byte[], byte[]> _producer;
    private readonly delegate* unmanaged<SamsaDeliveryReport*, void*, void> _deliveryCallback;
    private readonly void* _deliveryOpaque;
    private readonly delegate* unmanaged<int, byte*, byte*, void*, void> _logCallback;
    private readonly void* _logOpaque;
    private readonly LogQueue? _logs;
    private readonly ConcurrentQueue<Report> _reports = new();
    private readonly TopicNames _topics = new();
    private readonly OpaquePool _opaques = new();
    private readonly PollSignal _signal = new();
    private readonly Func<bool> _hasWork;
    private readonly int _maxWaitingReports;
    private int _waitingReports;
    private int _disposed;

    private NativeProducer(NativeConf conf, ProducerConfig config, LogQueue? logs)
    {
        _deliveryCallback = conf.DeliveryCallback;
        _deliveryOpaque = conf.DeliveryOpaque;
        _logCallback = conf.LogCallback;
        _logOpaque = conf.LogOpaque;
        _logs = logs;
        _hasWork = HasWork;
        _maxWaitingReports = config.QueueBufferingMaxMessages == 0 ? int.MaxValue : config.QueueBufferingMaxMessages;
        ILoggerFactory? loggerFactory = logs is null ? null : new QueueLoggerFactory(logs, MaxLogLevel(config));
        _producer = new Producer<byte[], byte[]>(config, loggerFactory: loggerFactory);
    }

    /// <summary>Builds the producer from the conf's properties (validated: a <see cref="ConfigException"/> names any problem).</summary>
    public static NativeProducer Create(NativeConf conf)
    {
        ProducerConfig config = NativeTokenRefresh.Apply(conf, ProducerConfig.FromProperties(conf.Properties));
        LogQueue? logs = conf.LogCallback is null ? null : new LogQueue();
        return new NativeProducer(conf, config, logs);
    }

    /// <summary>Messages not yet delivered plus delivery reports not yet served.</summary>
    public long OutQueueLength => _producer.QueueLength + Volatile.Read(ref _waitingReports);

    public int Produce(byte* topic, int partition, byte* key, nuint keyLength, byte* value, nuint valueLength,
        SamsaHeader* headers, nuint headerCount, void* msgOpaque)
    {
        if (topic is null)
        {
            return Errors.Invalid("topic is NULL");
        }

        if ((key is null && keyLength != 0) || (value is null && valueLength != 0) || (headers is null && headerCount != 0))
        {
            return Errors.Invalid("a NULL key, value or headers pointer with a non-zero length");
        }

        if (keyLength > int.MaxValue || valueLength > int.MaxValue || headerCount > int.MaxValue)
        {
            return Errors.Set((int)ErrorCode.MessageTooLarge, "The message is larger than 2 GiB.");
        }

        if (_deliveryCallback is not null && Volatile.Read(ref _waitingReports) >= _maxWaitingReports)
        {
            return Errors.Set((int)ErrorCode.LocalQueueFull,
                $"{_maxWaitingReports} delivery reports are waiting (queue.buffering.max.messages): call samsa_poll() to serve them.");
        }

        RecordHeader[]? recordHeaders = headerCount == 0 ? null : CopyHeaders(headers, (int)headerCount);
        OpaqueBox? box = msgOpaque is null ? null : _opaques.Rent(msgOpaque);
        try
        {
            string name = _topics.FromUtf8(topic);
            _producer.ProduceRaw(name, partition, new ReadOnlySpan<byte>(key, (int)keyLength), key is null,
                new ReadOnlySpan<byte>(value, (int)valueLength), value is null, recordHeaders, 0, this, box);
            return Errors.Ok;
        }
        catch (Exception e)
        {
            if (box is not null)
            {
                _opaques.Return(box);
            }

            return Errors.From(e);
        }
    }

    /// <summary>
    /// Headers are copied into arrays: a message whose topic has no metadata yet is parked by the producer with
    /// its headers, so they must not point into the caller's memory.
    /// </summary>
    private static RecordHeader[] CopyHeaders(SamsaHeader* headers, int count)
    {
        var copy = new RecordHeader[count];
        for (int i = 0; i < count; i++)
        {
            ref SamsaHeader h = ref headers[i];
            if (h.Name is null)
            {
                throw new ArgumentException($"Header {i} has a NULL name.");
            }

            if (h.Value is null && h.ValueLen != 0)
            {
                throw new ArgumentException($"Header {i} has a NULL value with a non-zero length.");
            }

            if (h.ValueLen > int.MaxValue)
            {
                throw new KafkaException(ErrorCode.MessageTooLarge, $"Header {i} is larger than 2 GiB.");
            }

            byte[] name = Utf8.Span(h.Name).ToArray();
            byte[] value = h.Value is null ? [] : new ReadOnlySpan<byte>(h.Value, (int)h.ValueLen).ToArray();
            copy[i] = RecordHeader.FromUtf8(name, value, valueIsNull: h.Value is null);
        }

        return copy;
    }

    /// <summary>Called by the producer's delivery thread: queue the report for the application's thread.</summary>
    void IDeliveryHandler.OnDelivery(in DeliveryEvent delivery, object? state)
    {
        nint opaque = 0;
        if (state is OpaqueBox box)
        {
            opaque = box.Value;
            _opaques.Return(box);
        }

        if (_deliveryCallback is null)
        {
            return;
        }

        _reports.Enqueue(new Report(delivery.Topic, delivery.Partition, delivery.Offset, delivery.Timestamp, delivery.TimestampType,
            delivery.Error, delivery.ErrorMessage, delivery.Status, opaque));
        Interlocked.Increment(ref _waitingReports);
        _signal.Notify();
    }

    /// <summary>Serves waiting callbacks, waiting up to <paramref name="timeoutMs"/> (negative: no limit) for the first.</summary>
    public int Poll(int timeoutMs)
    {
        int served = Serve();
        if (served > 0 || timeoutMs == 0)
        {
            return served;
        }

        _signal.Wait(timeoutMs, _hasWork);
        return Serve();
    }

    /// <summary>Waits until every message is delivered and its report served, serving callbacks meanwhile.</summary>
    public int Flush(int timeoutMs)
    {
        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        using var stop = new CancellationTokenSource();
        Task flushing = _producer.FlushAsync(stop.Token); // sends at once, without waiting for linger.ms
        try
        {
            while (true)
            {
                Serve();

                // Reports are queued before the producer counts a message out: this order sees them all.
                if (_producer.QueueLength == 0 && Volatile.Read(ref _waitingReports) == 0)
                {
                    return Errors.Ok;
                }

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return Errors.Set((int)ErrorCode.LocalTimedOut, $"{OutQueueLength} messages or reports were still outstanding when the flush timed out.");
                }

                _signal.Wait((int)Math.Min(remaining, 50), _hasWork);
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                flushing.Wait();
            }
            catch (AggregateException)
            {
                // Cancelled by us, or the producer is closing: the loop above decided the outcome.
            }
        }
    }

    private bool HasWork() => !_reports.IsEmpty || Volatile.Read(ref _disposed) != 0;

    private int Serve()
    {
        int served = ServeLogs();
        int count = Volatile.Read(ref _waitingReports); // only what is there now: a busy producer must not keep poll() forever
        while (count-- > 0 && Volatile.Read(ref _disposed) == 0 && _reports.TryDequeue(out Report r))
        {
            Interlocked.Decrement(ref _waitingReports);
            Deliver(r);
            served++;
        }

        return served;
    }

    private void Deliver(in Report r)
    {
        byte* topic = _topics.ToUtf8(r.Topic, out bool temporaryTopic);
        byte* errstr = r.Error == ErrorCode.None ? null : Utf8.Allocate(r.ErrorMessage ?? r.Error.Describe());
        try
        {
            var report = new SamsaDeliveryReport
            {
                Err = (int)r.Error,
                Partition = r.Partition,
                Topic = topic,
                Offset = r.Offset >= 0 ? r.Offset : Constants.SAMSA_OFFSET_INVALID,
                Timestamp = r.Timestamp,
                TimestampType = (int)r.TimestampType,
                Status = (int)r.Status,
                Errstr = errstr,
                MsgOpaque = (void*)r.Opaque,
            };
            _deliveryCallback(&report, _deliveryOpaque);
        }
        finally
        {
            NativeMemory.Free(errstr);
            if (temporaryTopic)
            {
                NativeMemory.Free(topic);
            }
        }
    }

    private int ServeLogs()
    {
        if (_logs is null)
        {
            return 0;
        }

        int served = 0;
        while (Volatile.Read(ref _disposed) == 0 && _logs.TryTake(out LogQueue.LogLine line))
        {
            LogBridge.Invoke(_logCallback, _logOpaque, line);
            served++;
        }

        return served;
    }

    internal static int MaxLogLevel(ClientConfig config) => string.IsNullOrEmpty(config.Debug) ? config.LogLevel : Syslog.Debug;

    /// <summary>Closes the producer (flushing for up to 30 s, then failing what is left); reports not yet served are dropped.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _signal.Notify();
        _producer.Dispose();
        _topics.Dispose();
    }

    private readonly record struct Report(string Topic, int Partition, long Offset, long Timestamp, TimestampType TimestampType,
        ErrorCode Error, string? ErrorMessage, PersistenceStatus Status, nint Opaque);
}
