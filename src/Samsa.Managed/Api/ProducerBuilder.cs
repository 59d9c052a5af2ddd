using Microsoft.Extensions.Logging;

namespace Samsa;

/// <summary>Builds a <see cref="Producer{TKey, TValue}"/> the way Confluent.Kafka's ProducerBuilder does.</summary>
public sealed class ProducerBuilder<TKey, TValue>
{
    private readonly ProducerConfig _config;
    private ISerializer<TKey>? _keySerializer;
    private ISerializer<TValue>? _valueSerializer;
    private ILoggerFactory? _loggerFactory;
    private IPartitioner? _partitioner;
    private Func<CancellationToken, ValueTask<OAuthBearerToken>>? _tokenProvider;

    public ProducerBuilder(ProducerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    /// <summary>Starts from librdkafka/Java property names and values.</summary>
    public ProducerBuilder(IEnumerable<KeyValuePair<string, string>> properties)
        : this(ProducerConfig.FromProperties(properties))
    {
    }

    public ProducerBuilder<TKey, TValue> SetKeySerializer(ISerializer<TKey> serializer)
    {
        _keySerializer = serializer;
        return this;
    }

    public ProducerBuilder<TKey, TValue> SetValueSerializer(ISerializer<TValue> serializer)
    {
        _valueSerializer = serializer;
        return this;
    }

    public ProducerBuilder<TKey, TValue> SetLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>A partitioner of your own (it replaces the partitioner property).</summary>
    public ProducerBuilder<TKey, TValue> SetPartitioner(IPartitioner partitioner)
    {
        _partitioner = partitioner;
        return this;
    }

    /// <summary>
    /// The OAUTHBEARER token provider (sasl.mechanism=OAUTHBEARER): called when a connection authenticates and
    /// the cached token is missing or past 80% of its lifetime. Replaces <see cref="ClientConfig.OAuthBearerTokenProvider"/>.
    /// </summary>
    public ProducerBuilder<TKey, TValue> SetOAuthBearerTokenProvider(Func<CancellationToken, ValueTask<OAuthBearerToken>> provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _tokenProvider = provider;
        return this;
    }

    public Producer<TKey, TValue> Build() => new(
        _tokenProvider is null ? _config : _config with { OAuthBearerTokenProvider = _tokenProvider },
        _keySerializer, _valueSerializer, _loggerFactory, _partitioner);
}
