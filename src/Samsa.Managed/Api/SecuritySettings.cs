using System.Security.Cryptography;
using Samsa.Network;
using Samsa.Network.Security;

namespace Samsa;

/// <summary>Builds the TLS and SASL layers a validated configuration asks for (security.protocol and friends).</summary>
internal static class SecuritySettings
{
    /// <summary>TLS for ssl and sasl_ssl (certificate files are read now); null otherwise.</summary>
    /// <exception cref="ConfigException">A certificate or key cannot be loaded.</exception>
    public static IStreamSecurity? Tls(ClientConfig config) =>
        config.SecurityProtocol is SecurityProtocol.Ssl or SecurityProtocol.SaslSsl
            ? new TlsStreamSecurity(TlsOptions.FromConfig(config))
            : null;

    /// <summary>SASL for sasl_plaintext and sasl_ssl; null otherwise.</summary>
    /// <exception cref="ConfigException">The mechanism's settings are incomplete or unusable.</exception>
    public static IConnectionAuthenticator? Sasl(ClientConfig config)
    {
        if (config.SecurityProtocol is not (SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl))
        {
            return null;
        }

        ISaslMechanism mechanism = config.SaslMechanism switch
        {
            SaslMechanism.Plain => new PlainMechanism(Required(config.SaslUsername, "sasl.username"), Required(config.SaslPassword, "sasl.password")),
            SaslMechanism.ScramSha256 => new ScramMechanism(HashAlgorithmName.SHA256,
                Required(config.SaslUsername, "sasl.username"), Required(config.SaslPassword, "sasl.password")),
            SaslMechanism.ScramSha512 => new ScramMechanism(HashAlgorithmName.SHA512,
                Required(config.SaslUsername, "sasl.username"), Required(config.SaslPassword, "sasl.password")),
            SaslMechanism.OAuthBearer => new OAuthBearerMechanism(OAuthBearerTokens(config)),
            _ => throw new ConfigException("sasl.mechanism", null,
                "sasl.mechanism is required with sasl_plaintext and sasl_ssl (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER)."),
        };
        return new SaslAuthenticator(mechanism);
    }

    private static OAuthBearerTokenSource OAuthBearerTokens(ClientConfig config)
    {
        if (config.OAuthBearerTokenProvider is { } provider)
        {
            return new OAuthBearerTokenSource(provider);
        }

        if (config.SaslOAuthBearerConfig is { } unsecured)
        {
            return OAuthBearerTokenSource.Unsecured(UnsecuredJwt.Parse(unsecured));
        }

        throw new ConfigException("sasl.oauthbearer.config", null,
            "sasl.mechanism=OAUTHBEARER needs a token provider (OAuthBearerTokenProvider, or the builder's SetOAuthBearerTokenProvider) " +
            "or, for testing only, an unsecured JWT described by sasl.oauthbearer.config (\"principal=NAME [lifeSeconds=N]\").");
    }

    private static string Required(string? value, string property) =>
        value ?? throw new ConfigException(property, null, $"{property} is required by the SASL mechanism.");
}
