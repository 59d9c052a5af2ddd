namespace Samsa;

/// <summary>Whether the broker's certificate must match its host name (ssl.endpoint.identification.algorithm).</summary>
public enum SslEndpointIdentification
{
    /// <summary>none: the host name is not checked (the certificate chain still is, unless verification is off).</summary>
    None,

    /// <summary>https: the host name must match the certificate (RFC 2818).</summary>
    Https,
}
