using System.Security.Cryptography.X509Certificates;

namespace Samsa.TestSupport.SecureFront;

/// <summary>What a <see cref="SecureFront"/> demands of its clients.</summary>
public sealed record SecureFrontOptions
{
    /// <summary>TLS with this server certificate (with its key); null: no TLS.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Mutual TLS: clients must present a certificate signed by this CA; null: no client certificate asked.</summary>
    public X509Certificate2? ClientCertificateCa { get; init; }

    /// <summary>The SASL mechanisms enabled (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER); empty: no SASL.</summary>
    public IReadOnlyList<string> SaslMechanisms { get; init; } = [];

    /// <summary>User names and passwords for PLAIN and SCRAM (SCRAM credentials are derived from them at start).</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>SCRAM iteration count of the derived credentials.</summary>
    public int ScramIterations { get; init; } = 4096;

    /// <summary>
    /// KIP-368 connections.max.reauth.ms: the session lifetime granted (for OAUTHBEARER, no longer than the
    /// token's); a request after it ends closes the connection. Null: sessions do not expire.
    /// </summary>
    public TimeSpan? SessionLifetime { get; init; }

    /// <summary>The JWT claim OAUTHBEARER tokens name their principal in.</summary>
    public string PrincipalClaim { get; init; } = "sub";

    /// <summary>The host advertised in rewritten Metadata, FindCoordinator and DescribeCluster responses.</summary>
    public string AdvertisedHost { get; init; } = "127.0.0.1";

    /// <summary>How long a client may take for the TLS handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool Tls => ServerCertificate is not null;

    public bool Sasl => SaslMechanisms.Count > 0;
}
