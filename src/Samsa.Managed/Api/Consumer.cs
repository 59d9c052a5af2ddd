using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Samsa.Cluster;
using Samsa.Consumer;
using Samsa.Groups;

namespace Samsa;

/// <summary>
/// A Kafka consumer: subscribe with a group (the group assigns partitions) or assign partitions yourself, then
/// consume. Fetching runs ahead in the background within queued.max.messages.kbytes of memory; decompression
/// happens there too, so the consume call only walks records. Consume from one thread at a time; the rebalance
/// and error handlers run on that thread, inside the consume call.
/// </summary>
public sealed partial class Consumer<TKey, TValue> : IConsumer<TKey, TValue>, IConsumerCallbacks
{
    private static int _instances;

    private readonly ConsumerEngine _engine;
    private readonly IDeserializer<TKey> _keyDeserializer;
    private readonly IDeserializer<TValue> _valueDeserializer;

    /// <summary>
    /// Creates a consumer. The configuration is validated first (a <see cref="ConfigException"/> names any problem,
    /// and adjustments are logged as warnings); deserializers default to the built-ins for the key and value types.
    /// </summary>
    public Consumer(ConsumerConfig config, IDeserializer<TKey>? keyDeserializer = null, IDeserializer<TValue>? valueDeserializer = null,
        ILoggerFactory? loggerFactory = null)
        : this(Validated(config, loggerFactory, out ILogger logger), keyDeserializer, valueDeserializer, logger, null)
    {
    }

    internal Consumer(ConsumerConfig validated, IDeserializer<TKey>? keyDeserializer, IDeserializer<TValue>? valueDeserializer, ILogger logger,
        Func<MembershipContext, IGroupMembership>? membershipFactory)
    {
        _keyDeserializer = keyDeserializer ?? Deserializers.For<TKey>();
        _valueDeserializer = valueDeserializer ?? Deserializers.For<TValue>();
        Name = $"{validated.ClientId}#consumer-{Interlocked.Increment(ref _instances)}";
        ClusterOptions cluster = ClientSettings.Cluster(validated, logger);
        _engine = new ConsumerEngine(ClientSettings.Consumer(validated), validated,
            cluster with { Logger = logger, Connection = cluster.Connection with { Logger = logger } }, this, logger, membershipFactory);
    }

    private static ConsumerConfig Validated(ConsumerConfig config, ILoggerFactory? loggerFactory, out ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Samsa.Consumer");
        ConsumerConfig effective = config.Validate();
        ClientSettings.LogWarnings(effective, logger);
        return effective;
    }

    public string Name { get; }

    public string MemberId => _engine.MemberId;

    public List<TopicPartition> Assignment => _engine.Assignment;

    public List<string> Subscription => [.. _engine.Subscription];

    internal ConsumerEngine Engine => _engine;

    // Set by ConsumerBuilder before the consumer is handed out.
    internal Func<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>, IEnumerable<TopicPartitionOffset>?>? AssignedHandler { get; set; }

    internal Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>>? RevokedHandler { get; set; }

    internal Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>>? LostHandler { get; set; }

    internal Action<IConsumer<TKey, TValue>, KafkaException>? ErrorHandler { get; set; }

    public void Subscribe(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        _engine.Subscribe([.. topics]);
    }

    public void Subscribe(string topic) => _engine.Subscribe([topic]);

    public void Unsubscribe() => _engine.Unsubscribe();

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => _engine.Assign(partitions);

    public void Assign(IEnumerable<TopicPartition> partitions) => _engine.Assign(Unset(partitions));

    public void Assign(TopicPartitionOffset partition) => _engine.Assign([partition]);

    public void Assign(TopicPartition partition) => _engine.Assign([new TopicPartitionOffset(partition, Offset.Unset)]);

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => _engine.IncrementalAssign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => _engine.IncrementalAssign(Unset(partitions));

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => _engine.IncrementalUnassign(partitions);

    public void Unassign() => _engine.Unassign();

    private static List<TopicPartitionOffset> Unset(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var list = new List<TopicPartitionOffset>();
        foreach (TopicPartition tp in partitions)
        {
            list.Add(new TopicPartitionOffset(tp, Offset.Unset));
        }

        return list;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default)
    {
        _engine.TryConsume(out ConsumedRecord record, Timeout.InfiniteTimeSpan, cancellationToken);
        return ToResult(record);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout)
    {
        CheckTimeout(timeout);
        return _engine.TryConsume(out ConsumedRecord record, timeout, CancellationToken.None) ? ToResult(record) : null;
    }

    public ConsumeResult<TKey, TValue>? Consume(int millisecondsTimeout) =>
        Consume(millisecondsTimeout == Timeout.Infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(millisecondsTimeout));

    public async ValueTask<ConsumeResult<TKey, TValue>> ConsumeAsync(CancellationToken cancellationToken = default)
    {
        ConsumedRecord record = await _engine.ConsumeAsync(cancellationToken).ConfigureAwait(false);
        return ToResult(record);
    }

    public async IAsyncEnumerable<ConsumeResult<TKey, TValue>> ConsumeAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return await ConsumeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryConsumeRaw(out ConsumedRecord record, TimeSpan timeout)
    {
        CheckTimeout(timeout);
        return _engine.TryConsume(out record, timeout, CancellationToken.None);
    }

    /// <summary>The next raw record, awaited; valid until the next consume call (see <see cref="ConsumedRecord.Retain"/>).</summary>
    public ValueTask<ConsumedRecord> ConsumeRawAsync(CancellationToken cancellationToken = default) => _engine.ConsumeAsync(cancellationToken);

    private static void CheckTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must not be negative (use Timeout.InfiniteTimeSpan to wait without limit).");
        }
    }

    public void Seek(TopicPartitionOffset position) => _engine.Seek(position);

    public void Pause(IEnumerable<TopicPartition> partitions) => _engine.Pause(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => _engine.Resume(partitions);

    public Offset Position(TopicPartition partition) => _engine.Position(partition);

    public void Close() => CloseAsync().AsTask().GetAwaiter().GetResult();

    public ValueTask CloseAsync() => _engine.CloseAsync();

    public void Dispose() => Close();

    public ValueTask DisposeAsync() => CloseAsync();
}
