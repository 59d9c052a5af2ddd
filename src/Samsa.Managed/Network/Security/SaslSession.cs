namespace Samsa.Network.Security;

/// <summary>A SASL mechanism as configured for a client: creates one exchange per authentication.</summary>
internal interface ISaslMechanism
{
    /// <summary>The mechanism's name in SaslHandshake ("PLAIN", "SCRAM-SHA-256", ...).</summary>
    string Name { get; }

    SaslSession CreateSession();
}

/// <summary>The client side of one SASL exchange, carried in SaslAuthenticate requests (KIP-152).</summary>
internal abstract class SaslSession
{
    /// <summary>The client's first message.</summary>
    public abstract ValueTask<byte[]> StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the server's answer to the last message; returns the next message, or null when the exchange is
    /// complete on the client's side. Throws a <see cref="KafkaException"/> when the server's answer is wrong.
    /// </summary>
    public abstract byte[]? Next(ReadOnlySpan<byte> challenge);

    /// <summary>What the server said before failing the exchange (OAUTHBEARER's error JSON), for the error message.</summary>
    public virtual string? FailureDetail => null;
}
