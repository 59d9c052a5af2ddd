using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Samsa.Network.Security;

/// <summary>TLS as a client uses it: trust anchors, client certificate and checks, loaded once per client.</summary>
internal sealed class TlsOptions
{
    /// <summary>The CA certificates that verify brokers; null: the system trust store.</summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>Intermediate certificates from the CA file (not trust anchors themselves).</summary>
    public X509Certificate2Collection? IntermediateCertificates { get; init; }

    /// <summary>The client certificate with its private key, for mutual TLS; null for none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Certificates sent after the client certificate (its chain), from the certificate PEM.</summary>
    public X509Certificate2Collection? ClientCertificateChain { get; init; }

    /// <summary>ssl.endpoint.identification.algorithm=https: the broker's certificate must name its host.</summary>
    public bool VerifyHostName { get; init; } = true;

    /// <summary>enable.ssl.certificate.verification: the broker's certificate chain must verify.</summary>
    public bool VerifyCertificate { get; init; } = true;

    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Loads what the configuration names (files are read now).</summary>
    /// <exception cref="ConfigException">A file is missing or unreadable, or a certificate or key does not parse.</exception>
    public static TlsOptions FromConfig(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        X509Certificate2Collection? anchors = null;
        X509Certificate2Collection? intermediates = null;
        X509Certificate2Collection? cas = config.SslCaPem is { } caPem ? PemLoader.CertificatesFromText(caPem, "ssl.ca.pem")
            : config.SslCaLocation is { } caLocation && !caLocation.Equals("probe", StringComparison.OrdinalIgnoreCase)
                ? PemLoader.CertificatesFromLocation(caLocation, "ssl.ca.location")
                : null;
        if (cas is not null)
        {
            anchors = [];
            intermediates = [];
            foreach (X509Certificate2 ca in cas)
            {
                (ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData) ? anchors : intermediates).Add(ca);
            }

            if (anchors.Count == 0)
            {
                // Only intermediates given: trust them as anchors, as OpenSSL would with a partial chain.
                anchors = intermediates;
                intermediates = null;
            }
        }

        X509Certificate2? client = null;
        X509Certificate2Collection? chain = null;
        if (config.SslCertificateLocation is not null || config.SslCertificatePem is not null)
        {
            (client, chain) = PemLoader.ClientCertificate(config);
        }

        return new TlsOptions
        {
            TrustedCertificates = anchors,
            IntermediateCertificates = intermediates,
            ClientCertificate = client,
            ClientCertificateChain = chain,
            VerifyHostName = config.SslEndpointIdentificationAlgorithm == SslEndpointIdentification.Https,
            VerifyCertificate = config.EnableSslCertificateVerification,
        };
    }
}
