using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Samsa.Network;

/// <summary>What a connection needs to know: identity, timeouts, limits, and the security layers to apply.</summary>
internal sealed record ConnectionOptions
{
    /// <summary>client.id, sent in every request header.</summary>
    public string ClientId { get; init; } = "samsa";

    /// <summary>KIP-511 client software name and version, sent in ApiVersions v3+.</summary>
    public string SoftwareName { get; init; } = "samsa-dotnet";

    public string SoftwareVersion { get; init; } = ThisAssembly.Version;

    /// <summary>socket.connection.setup.timeout.ms: TCP connect plus TLS handshake plus authentication.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>request.timeout.ms (socket.timeout.ms): how long a request may wait for its response.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>receive.message.max.bytes: the largest response frame accepted; larger closes the connection.</summary>
    public int MaxResponseSize { get; init; } = 100_000_000;

    /// <summary>socket.send.buffer.bytes (0: the system default).</summary>
    public int SocketSendBufferBytes { get; init; }

    /// <summary>socket.receive.buffer.bytes (0: the system default).</summary>
    public int SocketReceiveBufferBytes { get; init; }

    /// <summary>Wraps the TCP stream (TLS) once connected; null for plaintext.</summary>
    public IStreamSecurity? Security { get; init; }

    /// <summary>Authenticates the connection after version negotiation (SASL); null for none.</summary>
    public IConnectionAuthenticator? Authenticator { get; init; }

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The owning client's instruments; null for none.</summary>
    public Diagnostics.ClientMetrics? Metrics { get; init; }
}

/// <summary>Turns a connected TCP stream into a secured one (TLS).</summary>
internal interface IStreamSecurity
{
    ValueTask<Stream> SecureAsync(Stream tcp, BrokerAddress broker, CancellationToken cancellationToken);
}

/// <summary>Authenticates a connection (SASL) before it carries client requests.</summary>
internal interface IConnectionAuthenticator
{
    /// <summary>
    /// Runs the exchange. Returns how long the session may live (KIP-368), or null when it does not expire;
    /// the connection re-authenticates before then.
    /// </summary>
    ValueTask<TimeSpan?> AuthenticateAsync(KafkaConnection connection, CancellationToken cancellationToken);
}
