namespace Samsa;

/// <summary>
/// Settings every Samsa client takes. Each property is documented with its librdkafka/Java name(s), default and
/// range; the same settings can be given as name/value strings (<see cref="With"/>, <c>FromProperties</c>).
/// Defaults are librdkafka's unless a property says otherwise. Durations are <see cref="TimeSpan"/>s; their
/// string form is in milliseconds.
/// </summary>
/// <remarks>
/// Construction never fails; <see cref="Validate"/> (which clients call when they are built) checks the rules
/// between properties. <see cref="ToString"/> and <see cref="ToProperties"/> never show secrets.
/// </remarks>
public abstract partial record ClientConfig
{
    private int? _receiveMessageMaxBytes;
    private EquatableList<string> _warnings = EquatableList<string>.Empty;

    private protected ClientConfig()
    {
    }

    /// <summary>The client this configuration builds.</summary>
    public abstract ClientKind Kind { get; }

    /// <summary>
    /// bootstrap.servers (alias metadata.broker.list): the brokers to contact first, "host[:port]" separated by
    /// commas (port 9092 when omitted; "[v6addr]:port" for IPv6). Required; no default.
    /// </summary>
    public string? BootstrapServers { get; init; }

    /// <summary>client.id: the client's name in request headers, broker logs and quotas. Default "samsa".</summary>
    public string ClientId { get; init; } = "samsa";

    /// <summary>client.rack: the rack (availability zone) this client runs in, for fetching from the nearest replica (KIP-392). Default none.</summary>
    public string? ClientRack { get; init; }

    /// <summary>
    /// request.timeout.ms (alias socket.timeout.ms): how long a request may wait for its response.
    /// Default 30000 ms; range 1..900000 ms.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// metadata.max.age.ms (alias topic.metadata.refresh.interval.ms): how often cluster metadata is refreshed even
    /// without a reason to. Default 300000 ms (Java's; librdkafka's is 900000); range 1..86400000 ms.
    /// </summary>
    public TimeSpan MetadataMaxAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>retry.backoff.ms: the first wait before retrying a failed request, doubling up to <see cref="RetryBackoffMax"/>. Default 100 ms; range 1..300000 ms.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>retry.backoff.max.ms: the longest wait between retries. Default 1000 ms; range 1..300000 ms; at least <see cref="RetryBackoff"/>.</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>reconnect.backoff.ms: the first wait before reconnecting to a broker, doubling up to <see cref="ReconnectBackoffMax"/>. Default 100 ms; range 0..3600000 ms.</summary>
    public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>reconnect.backoff.max.ms: the longest wait before reconnecting. Default 10000 ms; range 0..3600000 ms; at least <see cref="ReconnectBackoff"/>.</summary>
    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// socket.connection.setup.timeout.ms: the time allowed for TCP connect, TLS handshake and SASL authentication
    /// together. Default 30000 ms; range 1000..2147483647 ms.
    /// </summary>
    public TimeSpan SocketConnectionSetupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>socket.send.buffer.bytes: the socket send buffer size; 0 keeps the system default. Default 0; range 0..100000000.</summary>
    public int SocketSendBufferBytes { get; init; }

    /// <summary>socket.receive.buffer.bytes: the socket receive buffer size; 0 keeps the system default. Default 0; range 0..100000000.</summary>
    public int SocketReceiveBufferBytes { get; init; }

    /// <summary>
    /// receive.message.max.bytes: the largest response accepted from a broker; a larger one closes the connection.
    /// Default 100000000; range 1000..2147483647. A consumer raises it to fetch.max.bytes + 512 unless it was set.
    /// </summary>
    public int ReceiveMessageMaxBytes
    {
        get => _receiveMessageMaxBytes ?? 100_000_000;
        init => _receiveMessageMaxBytes = value;
    }

    /// <summary>
    /// allow.auto.create.topics: let the broker create a topic the client asks metadata for (the broker must allow
    /// it too). Default true for producers, false for consumers and admin clients (as librdkafka).
    /// </summary>
    public bool AllowAutoCreateTopics { get; init; }

    /// <summary>debug: a comma-separated list of librdkafka debug contexts (broker, topic, msg, protocol, cgrp, fetch, all, ...) to log at debug level. Default none.</summary>
    public string? Debug { get; init; }

    /// <summary>log_level: the most verbose syslog level logged, 0 (emergency) to 7 (debug). Default 6 (informational).</summary>
    public int LogLevel { get; init; } = 6;

    /// <summary>statistics.interval.ms: how often statistics are emitted; zero disables them. Default 0; range 0..86400000 ms.</summary>
    public TimeSpan StatisticsInterval { get; init; }

    /// <summary>
    /// Things the configuration ignored or adjusted that the client logs as warnings when it is built: a property
    /// of another client kind, a setting with no effect, an implied change made by <see cref="Validate"/>.
    /// </summary>
    public IReadOnlyList<string> Warnings
    {
        get => _warnings;
        private protected init => _warnings = EquatableList<string>.Of(value) ?? EquatableList<string>.Empty;
    }

    /// <summary>True when receive.message.max.bytes was set rather than left at its default.</summary>
    internal bool ReceiveMessageMaxBytesIsSet => _receiveMessageMaxBytes.HasValue;

    /// <summary>
    /// A copy with property <paramref name="name"/> (any of its librdkafka or Java names) set from its string form.
    /// A property of another client kind is checked, then ignored with a <see cref="Warnings"/> entry.
    /// </summary>
    /// <exception cref="ConfigException">The property is unknown, or the value is not acceptable.</exception>
    public abstract ClientConfig With(string name, string value);

    /// <summary>
    /// Checks each value and the rules between properties, and returns the configuration the client runs with:
    /// this one, possibly adjusted, with <see cref="Warnings"/> describing every adjustment.
    /// </summary>
    /// <exception cref="ConfigException">A value or a combination of values is not acceptable; the message names the properties.</exception>
    public abstract ClientConfig Validate();

    /// <summary>The defaults of this client kind, to show only what differs in <see cref="ToString"/>.</summary>
    private protected abstract ClientConfig Defaults { get; }

    private protected static TConfig Apply<TConfig>(TConfig config, string name, string value)
        where TConfig : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ConfigProperty property = ConfigRegistry.Get(name);
        if (property.AppliesTo(config.Kind))
        {
            return (TConfig)property.Apply(config, name, value);
        }

        property.CheckText(name, value);
        string warning = $"Configuration property '{name}' is a {ScopeName(property.Scope)} property; {KindName(config.Kind)} ignores it.";
        return config with { Warnings = [.. config.Warnings, warning] };
    }

    private protected static TConfig ApplyAll<TConfig>(TConfig config, IEnumerable<KeyValuePair<string, string>> properties)
        where TConfig : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(properties);
        foreach (KeyValuePair<string, string> property in properties)
        {
            config = Apply(config, property.Key, property.Value);
        }

        return config;
    }

    private static string ScopeName(ConfigScope scope) => scope == ConfigScope.Producer ? "producer" : "consumer";

    private static string KindName(ClientKind kind) => kind switch
    {
        ClientKind.Producer => "a producer",
        ClientKind.Consumer => "a consumer",
        _ => "an admin client",
    };
}
