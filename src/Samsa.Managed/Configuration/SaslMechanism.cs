namespace Samsa;

/// <summary>The SASL mechanism used to authenticate (sasl.mechanism, alias sasl.mechanisms).</summary>
public enum SaslMechanism
{
    /// <summary>PLAIN: user name and password sent as is (use with TLS).</summary>
    Plain,

    /// <summary>SCRAM-SHA-256 (RFC 7677).</summary>
    ScramSha256,

    /// <summary>SCRAM-SHA-512.</summary>
    ScramSha512,

    /// <summary>OAUTHBEARER (KIP-255): a bearer token.</summary>
    OAuthBearer,
}
