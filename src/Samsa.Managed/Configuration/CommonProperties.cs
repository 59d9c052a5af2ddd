using Samsa.Network;

namespace Samsa;

/// <summary>The properties every client kind takes.</summary>
internal static class CommonProperties
{
    public static readonly ConfigProperty[] All =
    [
        P("bootstrap.servers", ConfigValues.OptionalText(CheckBrokers, "a comma-separated list of host[:port]"),
            c => c.BootstrapServers, (c, v) => c with { BootstrapServers = v },
            "Initial brokers, host[:port] separated by commas.", "metadata.broker.list"),
        P("client.id", ConfigValues.Text, c => c.ClientId, (c, v) => c with { ClientId = v! },
            "Client identifier sent in request headers."),
        P("client.rack", ConfigValues.OptionalText(), c => c.ClientRack, (c, v) => c with { ClientRack = v },
            "Rack identifier of this client (KIP-392)."),
        P("request.timeout.ms", ConfigValues.Milliseconds(1, 900_000), c => c.RequestTimeout,
            (c, v) => c with { RequestTimeout = v }, "Time a request may wait for its response.", "socket.timeout.ms"),
        P("metadata.max.age.ms", ConfigValues.Milliseconds(1, 86_400_000), c => c.MetadataMaxAge,
            (c, v) => c with { MetadataMaxAge = v }, "Interval of periodic metadata refreshes.",
            "topic.metadata.refresh.interval.ms"),
        P("retry.backoff.ms", ConfigValues.Milliseconds(1, 300_000), c => c.RetryBackoff,
            (c, v) => c with { RetryBackoff = v }, "First backoff before retrying a request."),
        P("retry.backoff.max.ms", ConfigValues.Milliseconds(1, 300_000), c => c.RetryBackoffMax,
            (c, v) => c with { RetryBackoffMax = v }, "Longest backoff between retries."),
        P("reconnect.backoff.ms", ConfigValues.Milliseconds(0, 3_600_000), c => c.ReconnectBackoff,
            (c, v) => c with { ReconnectBackoff = v }, "First backoff before reconnecting to a broker."),
        P("reconnect.backoff.max.ms", ConfigValues.Milliseconds(0, 3_600_000), c => c.ReconnectBackoffMax,
            (c, v) => c with { ReconnectBackoffMax = v }, "Longest backoff before reconnecting."),
        P("socket.connection.setup.timeout.ms", ConfigValues.Milliseconds(1000, int.MaxValue),
            c => c.SocketConnectionSetupTimeout, (c, v) => c with { SocketConnectionSetupTimeout = v },
            "Time allowed for TCP connect, TLS handshake and SASL authentication."),
        P("socket.send.buffer.bytes", ConfigValues.Int(0, 100_000_000), c => c.SocketSendBufferBytes,
            (c, v) => c with { SocketSendBufferBytes = v }, "Socket send buffer size (0: system default)."),
        P("socket.receive.buffer.bytes", ConfigValues.Int(0, 100_000_000), c => c.SocketReceiveBufferBytes,
            (c, v) => c with { SocketReceiveBufferBytes = v }, "Socket receive buffer size (0: system default)."),
        P("receive.message.max.bytes", ConfigValues.Int(1000, int.MaxValue), c => c.ReceiveMessageMaxBytes,
            (c, v) => c with { ReceiveMessageMaxBytes = v }, "Largest response accepted from a broker."),
        P("allow.auto.create.topics", ConfigValues.Bool, c => c.AllowAutoCreateTopics,
            (c, v) => c with { AllowAutoCreateTopics = v }, "Let the broker create topics the client asks for."),
        P("security.protocol", ConfigEnumNames.SecurityProtocol, c => c.SecurityProtocol,
            (c, v) => c with { SecurityProtocol = v }, "Protocol used to communicate with brokers."),
        P("ssl.ca.location", ConfigValues.OptionalText(), c => c.SslCaLocation, (c, v) => c with { SslCaLocation = v },
            "CA certificate file or directory."),
        P("ssl.ca.pem", ConfigValues.OptionalText(), c => c.SslCaPem, (c, v) => c with { SslCaPem = v },
            "CA certificates as a PEM string."),
        P("ssl.certificate.location", ConfigValues.OptionalText(), c => c.SslCertificateLocation,
            (c, v) => c with { SslCertificateLocation = v }, "Client certificate file (PEM)."),
        P("ssl.certificate.pem", ConfigValues.OptionalText(), c => c.SslCertificatePem,
            (c, v) => c with { SslCertificatePem = v }, "Client certificate as a PEM string."),
        P("ssl.key.location", ConfigValues.OptionalText(), c => c.SslKeyLocation, (c, v) => c with { SslKeyLocation = v },
            "Client private key file (PEM)."),
        Secret("ssl.key.pem", c => c.SslKeyPem, (c, v) => c with { SslKeyPem = v }, "Client private key as a PEM string."),
        Secret("ssl.key.password", c => c.SslKeyPassword, (c, v) => c with { SslKeyPassword = v },
            "Private key passphrase."),
        P("ssl.endpoint.identification.algorithm", ConfigEnumNames.SslEndpointIdentification,
            c => c.SslEndpointIdentificationAlgorithm, (c, v) => c with { SslEndpointIdentificationAlgorithm = v },
            "Broker host name verification: https or none."),
        P("enable.ssl.certificate.verification", ConfigValues.Bool, c => c.EnableSslCertificateVerification,
            (c, v) => c with { EnableSslCertificateVerification = v }, "Verify the broker's certificate chain."),
        P("sasl.mechanism", ConfigValues.Optional(ConfigEnumNames.SaslMechanism), c => c.SaslMechanism,
            (c, v) => c with { SaslMechanism = v }, "SASL mechanism.", "sasl.mechanisms"),
        P("sasl.username", ConfigValues.OptionalText(), c => c.SaslUsername, (c, v) => c with { SaslUsername = v },
            "SASL user name (PLAIN, SCRAM)."),
        Secret("sasl.password", c => c.SaslPassword, (c, v) => c with { SaslPassword = v },
            "SASL password (PLAIN, SCRAM)."),
        Secret("sasl.oauthbearer.config", c => c.SaslOAuthBearerConfig, (c, v) => c with { SaslOAuthBearerConfig = v },
            "Unsecured JWT settings for OAUTHBEARER."),
        P("debug", ConfigValues.OptionalText(CheckDebug, "a comma-separated list of debug contexts"), c => c.Debug,
            (c, v) => c with { Debug = v }, "Debug contexts to log."),
        P("log_level", ConfigValues.Int(0, 7), c => c.LogLevel, (c, v) => c with { LogLevel = v },
            "Most verbose syslog level logged (0-7)."),
        P("statistics.interval.ms", ConfigValues.Milliseconds(0, 86_400_000), c => c.StatisticsInterval,
            (c, v) => c with { StatisticsInterval = v }, "Statistics emit interval (0: disabled)."),
    ];

    private static ConfigProperty P<T>(
        string name,
        ConfigValue<T> value,
        Func<ClientConfig, T> get,
        Func<ClientConfig, T, ClientConfig> set,
        string description,
        params string[] aliases) =>
        new ConfigProperty<ClientConfig, T>(name, aliases, ConfigScope.Common, isSecret: false, value, get, set, description);

    private static ConfigProperty Secret(
        string name,
        Func<ClientConfig, string?> get,
        Func<ClientConfig, string?, ClientConfig> set,
        string description) =>
        new ConfigProperty<ClientConfig, string?>(name, [], ConfigScope.Common, isSecret: true, ConfigValues.OptionalText(), get, set, description);

    private static string? CheckBrokers(string text)
    {
        try
        {
            _ = BrokerAddress.ParseList(text);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message.TrimEnd('.');
        }
    }

    private static string? CheckDebug(string text)
    {
        foreach (string context in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Array.IndexOf(ConfigEnumNames.DebugContexts, context.ToLowerInvariant()) < 0)
            {
                return $"'{context}' is not a debug context: expected any of {string.Join(", ", ConfigEnumNames.DebugContexts)}";
            }
        }

        return null;
    }
}
