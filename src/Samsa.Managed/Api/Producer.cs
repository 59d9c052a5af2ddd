using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Samsa.Buffers;
using Samsa.Cluster;
using Samsa.Producer;
using Samsa.Protocol.Records;

namespace Samsa;

/// <summary>
/// A Kafka producer. Batches per partition, compresses, retries and (by default) is idempotent: each message
/// is written once and in order per partition. Thread-safe: produce from any number of threads.
/// </summary>
public sealed partial class Producer<TKey, TValue> : IProducer<TKey, TValue>, IDeliveryDispatcher
{
    private static int _instances;

    [ThreadStatic]
    private static SerializationScratch? _scratch;

    private readonly ProducerEngine _engine;
    private readonly ISerializer<TKey> _keySerializer;
    private readonly ISerializer<TValue> _valueSerializer;
    private readonly ILogger _logger;
    private readonly TimeSpan _closeTimeout;

    /// <summary>
    /// Creates a producer. The configuration is validated first (a <see cref="ConfigException"/> names any
    /// problem); serializers default to the built-ins for <typeparamref name="TKey"/> and <typeparamref name="TValue"/>.
    /// </summary>
    public Producer(ProducerConfig config, ISerializer<TKey>? keySerializer = null, ISerializer<TValue>? valueSerializer = null,
        ILoggerFactory? loggerFactory = null, IPartitioner? partitioner = null)
        : this(Validated(config, loggerFactory, out ILogger logger), partitioner, keySerializer, valueSerializer, loggerFactory, logger)
    {
    }

    private Producer(ProducerConfig config, IPartitioner? partitioner, ISerializer<TKey>? keySerializer, ISerializer<TValue>? valueSerializer,
        ILoggerFactory? loggerFactory, ILogger logger)
        : this(ClientSettings.Producer(config, partitioner), ClientSettings.Cluster(config, logger), keySerializer, valueSerializer,
            loggerFactory, config.ClientId, TimeSpan.FromSeconds(30))
    {
    }

    private static ProducerConfig Validated(ProducerConfig config, ILoggerFactory? loggerFactory, out ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Samsa.Producer");
        ProducerConfig effective = config.Validate();
        ClientSettings.LogWarnings(effective, logger);
        return effective;
    }

    internal Producer(ProducerSettings settings, ClusterOptions cluster, ISerializer<TKey>? keySerializer, ISerializer<TValue>? valueSerializer,
        ILoggerFactory? loggerFactory, string clientId, TimeSpan closeTimeout)
    {
        _keySerializer = keySerializer ?? Serializers.For<TKey>();
        _valueSerializer = valueSerializer ?? Serializers.For<TValue>();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Samsa.Producer");
        Name = $"{clientId}#producer-{Interlocked.Increment(ref _instances)}";
        _closeTimeout = closeTimeout;
        _engine = new ProducerEngine(settings, cluster with { Logger = _logger, Connection = cluster.Connection with { Logger = _logger } }, this, _logger);
    }

    public string Name { get; }

    public long QueueLength => _engine.QueuedMessages;

    internal ProducerEngine Engine => _engine;

    public ValueTask<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsyncCore(topic, -1, message, cancellationToken);

    public ValueTask<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsyncCore(topicPartition.Topic, topicPartition.Partition, message, cancellationToken);

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        ProduceCore(topic, -1, message, deliveryHandler, message);

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        ProduceCore(topicPartition.Topic, topicPartition.Partition, message, deliveryHandler, message);

    public void Produce(string topic, Message<TKey, TValue> message, IDeliveryHandler handler, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ProduceCore(topic, -1, message, handler, state);
    }

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, IDeliveryHandler handler, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ProduceCore(topicPartition.Topic, topicPartition.Partition, message, handler, state);
    }

    /// <summary>
    /// Produces raw bytes, bypassing the serializers: the fastest path (the C ABI's). Key and value are copied
    /// once, into the batch. <paramref name="partition"/> -1 lets the partitioner choose; a
    /// <paramref name="timestamp"/> of 0 or less means now.
    /// </summary>
    public void ProduceRaw(string topic, int partition, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers, long timestamp, IDeliveryHandler? handler, object? state)
    {
        ArgumentNullException.ThrowIfNull(topic);
        _engine.Produce(topic, partition, key, keyIsNull, value, valueIsNull, headers, timestamp > 0 ? timestamp : Now(), handler, state);
    }

    public int Flush(TimeSpan timeout)
    {
        _engine.ThrowIfDisposed();
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The flush timeout must not be negative (use Timeout.InfiniteTimeSpan to wait without limit).");
        }

        return (int)Math.Min(int.MaxValue, _engine.FlushAsync(timeout, CancellationToken.None).GetAwaiter().GetResult());
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        _engine.ThrowIfDisposed();
        await _engine.FlushAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes (up to the close timeout), then reports anything left as failed, and releases everything.</summary>
    public ValueTask DisposeAsync() => _engine.DisposeAsync(_closeTimeout);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProduceCore(string topic, int partition, Message<TKey, TValue> message, object? callback, object? state)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        SerializationScratch scratch = _scratch ??= new SerializationScratch();
        Serialize(topic, message, scratch, out bool keyIsNull, out bool valueIsNull);
        try
        {
            _engine.Produce(topic, partition, scratch.Key.WrittenSpan, keyIsNull, scratch.Value.WrittenSpan, valueIsNull,
                scratch.HeaderSpan, TimestampOf(message), callback, state);
        }
        finally
        {
            scratch.Clear();
        }
    }

    private async ValueTask<DeliveryResult<TKey, TValue>> ProduceAsyncCore(string topic, int partition, Message<TKey, TValue> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        DeliveryPromise<TKey, TValue> promise = DeliveryPromise<TKey, TValue>.Rent(message);
        SerializationScratch scratch = _scratch ??= new SerializationScratch();
        Serialize(topic, message, scratch, out bool keyIsNull, out bool valueIsNull);
        try
        {
            try
            {
                _engine.Produce(topic, partition, scratch.Key.WrittenSpan, keyIsNull, scratch.Value.WrittenSpan, valueIsNull,
                    scratch.HeaderSpan, TimestampOf(message), promise, null);
            }
            catch (KafkaException ex) when (ex.Error == ErrorCode.LocalQueueFull)
            {
                // Backpressure: wait for room instead of failing (the bytes are copied because the wait is async).
                await _engine.ProduceAsync(topic, partition, scratch.Key.WrittenSpan.ToArray(), keyIsNull, scratch.Value.WrittenSpan.ToArray(), valueIsNull,
                    scratch.HeaderSpan.ToArray(), TimestampOf(message), promise, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            promise.Fail(ex);
        }
        finally
        {
            scratch.Clear();
        }

        return await promise.Task.ConfigureAwait(false);
    }

    private static long TimestampOf(Message<TKey, TValue> message) =>
        message.Timestamp.Type == TimestampType.NotAvailable ? Now() : message.Timestamp.UnixTimestampMs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Serialize(string topic, Message<TKey, TValue> message, SerializationScratch scratch, out bool keyIsNull, out bool valueIsNull)
    {
        Headers? headers = message.Headers;
        scratch.SetHeaders(headers);
        keyIsNull = _keySerializer.IsNull(message.Key);
        valueIsNull = _valueSerializer.IsNull(message.Value);
        try
        {
            if (!keyIsNull)
            {
                _keySerializer.Serialize(message.Key, scratch.Key, new SerializationContext(MessageComponentType.Key, topic, headers));
            }
        }
        catch (Exception ex) when (ex is not KafkaException)
        {
            scratch.Clear();
            throw new KafkaException(ErrorCode.LocalKeySerialization, $"Serializing the key for topic '{topic}' failed: {ex.Message}", ex);
        }

        try
        {
            if (!valueIsNull)
            {
                _valueSerializer.Serialize(message.Value, scratch.Value, new SerializationContext(MessageComponentType.Value, topic, headers));
            }
        }
        catch (Exception ex) when (ex is not KafkaException)
        {
            scratch.Clear();
            throw new KafkaException(ErrorCode.LocalValueSerialization, $"Serializing the value for topic '{topic}' failed: {ex.Message}", ex);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IDeliveryDispatcher.Dispatch(in DeliveryEvent delivery, object? callback, object? state)
    {
        // The delegate first: a delegate is never a promise or a handler, and testing a (variant) Action against
        // the handler interface took the runtime's slow cast path for every report.
        if (callback is Action<DeliveryReport<TKey, TValue>> action)
        {
            action(new DeliveryReport<TKey, TValue>
            {
                Topic = delivery.Topic,
                Partition = delivery.Partition,
                Offset = delivery.Offset,
                Timestamp = new Timestamp(delivery.Timestamp, delivery.TimestampType),
                Status = delivery.Status,
                Message = state as Message<TKey, TValue> ?? new Message<TKey, TValue>(),
                Error = delivery.Error,
                ErrorMessage = delivery.ErrorMessage,
            });
            return;
        }

        switch (callback)
        {
            case DeliveryPromise<TKey, TValue> promise:
                promise.Complete(delivery);
                break;
            case IDeliveryHandler handler:
                handler.OnDelivery(delivery, state);
                break;
            default:
                if (delivery.IsError)
                {
                    _logger.LogWarning("Message to {Topic} [{Partition}] was not delivered: {Error}", delivery.Topic, delivery.Partition, delivery.ErrorMessage);
                }

                break;
        }
    }

    /// <summary>Per-thread buffers the serializers write into before the record is copied into its batch.</summary>
    private sealed class SerializationScratch
    {
        private RecordHeader[] _headers = new RecordHeader[4];
        private int _headerCount;

        public PooledBufferWriter Key { get; } = new(256);

        public PooledBufferWriter Value { get; } = new(1024);

        public ReadOnlySpan<RecordHeader> HeaderSpan => _headers.AsSpan(0, _headerCount);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void SetHeaders(Headers? headers)
        {
            _headerCount = 0;
            if (headers is null)
            {
                return;
            }

            if (_headers.Length < headers.Count)
            {
                _headers = new RecordHeader[Math.Max(headers.Count, _headers.Length * 2)];
            }

            for (int i = 0; i < headers.Count; i++)
            {
                Header h = headers[i];
                _headers[i] = new RecordHeader(h.Key, h.Value, h.ValueIsNull);
            }

            _headerCount = headers.Count;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Clear()
        {
            Key.Reset();
            Value.Reset();
            _headers.AsSpan(0, _headerCount).Clear();
            _headerCount = 0;

            // A one-off huge message must not pin a huge array to this thread forever.
            if (Value.Capacity > 4 * 1024 * 1024)
            {
                Value.Dispose();
            }
        }
    }
}
