namespace Samsa;

/// <summary>TLS and SASL settings.</summary>
public abstract partial record ClientConfig
{
    /// <summary>security.protocol: plaintext, ssl, sasl_plaintext or sasl_ssl. Default plaintext.</summary>
    public SecurityProtocol SecurityProtocol { get; init; } = SecurityProtocol.Plaintext;

    /// <summary>ssl.ca.location: a PEM file (or directory) of CA certificates that verify the brokers; default: the system's trust store.</summary>
    public string? SslCaLocation { get; init; }

    /// <summary>ssl.ca.pem: CA certificates as a PEM string; exclusive with <see cref="SslCaLocation"/>. Default none.</summary>
    public string? SslCaPem { get; init; }

    /// <summary>ssl.certificate.location: the client certificate (PEM file) for TLS client authentication. Default none.</summary>
    public string? SslCertificateLocation { get; init; }

    /// <summary>ssl.certificate.pem: the client certificate as a PEM string; exclusive with <see cref="SslCertificateLocation"/>. Default none.</summary>
    public string? SslCertificatePem { get; init; }

    /// <summary>ssl.key.location: the client certificate's private key (PEM file). Default none.</summary>
    public string? SslKeyLocation { get; init; }

    /// <summary>ssl.key.pem: the private key as a PEM string (a secret); exclusive with <see cref="SslKeyLocation"/>. Default none.</summary>
    public string? SslKeyPem { get; init; }

    /// <summary>ssl.key.password: the private key's passphrase (a secret, never shown). Default none.</summary>
    public string? SslKeyPassword { get; init; }

    /// <summary>ssl.endpoint.identification.algorithm: https checks the broker's host name against its certificate; none does not. Default https.</summary>
    public SslEndpointIdentification SslEndpointIdentificationAlgorithm { get; init; } = SslEndpointIdentification.Https;

    /// <summary>enable.ssl.certificate.verification: verify the broker's certificate chain. Default true.</summary>
    public bool EnableSslCertificateVerification { get; init; } = true;

    /// <summary>
    /// sasl.mechanism (alias sasl.mechanisms): PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER (GSSAPI is not
    /// supported). Required with sasl_plaintext and sasl_ssl. Default none (librdkafka's GSSAPI is not available).
    /// </summary>
    public SaslMechanism? SaslMechanism { get; init; }

    /// <summary>sasl.username: the user name for PLAIN and SCRAM. Default none.</summary>
    public string? SaslUsername { get; init; }

    /// <summary>sasl.password: the password for PLAIN and SCRAM (a secret, never shown). Default none.</summary>
    public string? SaslPassword { get; init; }

    /// <summary>
    /// sasl.oauthbearer.config: librdkafka's unsecured-JWT settings for OAUTHBEARER, e.g. "principal=admin
    /// lifeSeconds=600" (a secret, never shown). Default none.
    /// </summary>
    public string? SaslOAuthBearerConfig { get; init; }

    /// <summary>
    /// The OAUTHBEARER token provider (not a string property: set it here or with the builders'
    /// SetOAuthBearerTokenProvider). Called when a connection authenticates and the cached token is missing or past
    /// 80% of its lifetime; calls do not overlap; an exception fails the authentication with its message. When
    /// not set, OAUTHBEARER uses an unsecured JWT built from <see cref="SaslOAuthBearerConfig"/> (for testing only).
    /// </summary>
    public Func<CancellationToken, ValueTask<OAuthBearerToken>>? OAuthBearerTokenProvider { get; init; }
}
