namespace Samsa;

/// <summary>How connections to brokers are secured (security.protocol).</summary>
public enum SecurityProtocol
{
    /// <summary>plaintext: no TLS, no authentication.</summary>
    Plaintext,

    /// <summary>ssl: TLS, optionally with a client certificate.</summary>
    Ssl,

    /// <summary>sasl_plaintext: SASL authentication over an unencrypted connection.</summary>
    SaslPlaintext,

    /// <summary>sasl_ssl: SASL authentication over TLS.</summary>
    SaslSsl,
}
