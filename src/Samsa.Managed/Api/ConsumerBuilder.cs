using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Samsa;

/// <summary>Builds a <see cref="Consumer{TKey, TValue}"/> the way Confluent.Kafka's ConsumerBuilder does.</summary>
public sealed class ConsumerBuilder<TKey, TValue>
{
    private readonly ConsumerConfig _config;
    private IDeserializer<TKey>? _keyDeserializer;
    private IDeserializer<TValue>? _valueDeserializer;
    private ILoggerFactory? _loggerFactory;
    private Func<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>, IEnumerable<TopicPartitionOffset>?>? _assigned;
    private Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>>? _revoked;
    private Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>>? _lost;
    private Action<IConsumer<TKey, TValue>, KafkaException>? _error;
    private Func<CancellationToken, ValueTask<OAuthBearerToken>>? _tokenProvider;

    public ConsumerBuilder(ConsumerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    /// <summary>Starts from librdkafka/Java property names and values.</summary>
    public ConsumerBuilder(IEnumerable<KeyValuePair<string, string>> properties)
        : this(ConsumerConfig.FromProperties(properties))
    {
    }

    public ConsumerBuilder<TKey, TValue> SetKeyDeserializer(IDeserializer<TKey> deserializer)
    {
        _keyDeserializer = deserializer;
        return this;
    }

    public ConsumerBuilder<TKey, TValue> SetValueDeserializer(IDeserializer<TValue> deserializer)
    {
        _valueDeserializer = deserializer;
        return this;
    }

    public ConsumerBuilder<TKey, TValue> SetLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>
    /// Called on the poll thread when the group assigns partitions, before they are fetched. Return the offsets to
    /// start from, or null to start from the committed offsets (else auto.offset.reset). Calling Assign or
    /// IncrementalAssign inside the handler replaces the automatic assignment.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsAssignedHandler(
        Func<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>, IEnumerable<TopicPartitionOffset>?> handler)
    {
        _assigned = handler;
        return this;
    }

    /// <summary>Called on the poll thread when the group assigns partitions; they start from their committed offsets.</summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsAssignedHandler(Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartition>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _assigned = (consumer, partitions) =>
        {
            handler(consumer, partitions);
            return null;
        };
        return this;
    }

    /// <summary>
    /// Called on the poll thread when partitions are revoked, with their positions; the consumer is usable inside
    /// (Commit, StoreOffset). With enable.auto.commit the stored offsets are committed right after the handler.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsRevokedHandler(Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>> handler)
    {
        _revoked = handler;
        return this;
    }

    /// <summary>
    /// Called on the poll thread when partitions were lost (session expired, fenced): they may already belong to
    /// another member, so nothing is committed. Without this handler the revoked handler is called instead.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsLostHandler(Action<IConsumer<TKey, TValue>, IReadOnlyList<TopicPartitionOffset>> handler)
    {
        _lost = handler;
        return this;
    }

    /// <summary>Called on the poll thread for errors that do not stop consuming (brokers down, failed commits, ...).</summary>
    public ConsumerBuilder<TKey, TValue> SetErrorHandler(Action<IConsumer<TKey, TValue>, KafkaException> handler)
    {
        _error = handler;
        return this;
    }

    /// <summary>
    /// The OAUTHBEARER token provider (sasl.mechanism=OAUTHBEARER): called when a connection authenticates and
    /// the cached token is missing or past 80% of its lifetime. Replaces <see cref="ClientConfig.OAuthBearerTokenProvider"/>.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetOAuthBearerTokenProvider(Func<CancellationToken, ValueTask<OAuthBearerToken>> provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _tokenProvider = provider;
        return this;
    }

    public Consumer<TKey, TValue> Build()
    {
        ConsumerConfig config = _tokenProvider is null ? _config : _config with { OAuthBearerTokenProvider = _tokenProvider };
        var consumer = new Consumer<TKey, TValue>(config, _keyDeserializer, _valueDeserializer, _loggerFactory ?? NullLoggerFactory.Instance)
        {
            AssignedHandler = _assigned,
            RevokedHandler = _revoked,
            LostHandler = _lost,
            ErrorHandler = _error,
        };
        return consumer;
    }
}
