using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Samsa.Network.Security;

/// <summary>
/// TLS over a broker connection with <see cref="SslStream"/>: TLS 1.2 or 1.3, the broker's chain checked against
/// ssl.ca.location/ssl.ca.pem (or the system store), its host name against the certificate, and a client
/// certificate offered for mutual TLS. A failed check becomes a <see cref="ErrorCode.LocalSsl"/> error that says
/// which check failed.
/// </summary>
internal sealed class TlsStreamSecurity : IStreamSecurity
{
    private readonly TlsOptions _options;
    private readonly SslStreamCertificateContext? _clientContext;

    public TlsStreamSecurity(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        if (options.ClientCertificate is { } certificate)
        {
            _clientContext = SslStreamCertificateContext.Create(certificate, options.ClientCertificateChain, offline: true);
        }
    }

    public TlsOptions Options => _options;

    public async ValueTask<Stream> SecureAsync(Stream tcp, BrokerAddress broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tcp);
        var check = new CertificateCheck(_options, broker);
        var ssl = new SslStream(tcp, leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = broker.Host,
            EnabledSslProtocols = _options.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = check.Validate,
            ClientCertificateContext = _clientContext,
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new KafkaException(ErrorCode.LocalSsl, check.Failure ?? HandshakeFailure(broker, ex), ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string HandshakeFailure(BrokerAddress broker, Exception ex)
    {
        string detail = ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
        string hint = _options.ClientCertificate is null
            ? " The broker may require a client certificate (ssl.certificate.location and ssl.key.location), or the listener may not speak TLS."
            : " The broker may have refused the client certificate, or the listener may not speak TLS.";
        return $"TLS handshake with {broker} failed: {detail}.{hint}";
    }

    /// <summary>The checks of one handshake; remembers why it refused the certificate.</summary>
    private sealed class CertificateCheck(TlsOptions options, BrokerAddress broker)
    {
        public string? Failure { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (!options.VerifyCertificate)
            {
                return true;
            }

            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            {
                Failure = $"Broker {broker} sent no TLS certificate.";
                return false;
            }

            using X509Certificate2 leaf = new(certificate);
            if (options.TrustedCertificates is { } trusted)
            {
                if (ChainProblem(leaf, chain, trusted) is { } problem)
                {
                    Failure = $"The TLS certificate of broker {broker} ({leaf.Subject}) does not verify against ssl.ca.location/ssl.ca.pem: {problem}.";
                    return false;
                }
            }
            else if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
            {
                Failure = $"The TLS certificate of broker {broker} ({leaf.Subject}) does not verify against the system's trust store: " +
                    $"{Describe(chain?.ChainStatus ?? [], leaf)}. Set ssl.ca.location to the CA that signed it.";
                return false;
            }

            if (options.VerifyHostName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                Failure = $"The TLS certificate of broker {broker} does not name host '{broker.Host}' (it names {Names(leaf)}): host name mismatch. " +
                    "Connect by a name the certificate holds, or set ssl.endpoint.identification.algorithm=none.";
                return false;
            }

            return true;
        }

        private string? ChainProblem(X509Certificate2 leaf, X509Chain? presented, X509Certificate2Collection trusted)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
            if (options.IntermediateCertificates is { } intermediates)
            {
                chain.ChainPolicy.ExtraStore.AddRange(intermediates);
            }

            if (presented is not null)
            {
                foreach (X509ChainElement element in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            if (chain.Build(leaf))
            {
                return null;
            }

            return Describe(chain.ChainStatus, leaf);
        }

        private static string Describe(X509ChainStatus[] status, X509Certificate2 leaf)
        {
            var reasons = new List<string>();
            foreach (X509ChainStatus s in status)
            {
                string reason = s.Status switch
                {
                    X509ChainStatusFlags.NotTimeValid =>
                        $"the certificate has expired or is not yet valid (valid from {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u})",
                    X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain =>
                        $"it is not signed by a trusted CA (unknown CA; issuer {leaf.Issuer})",
                    X509ChainStatusFlags.NotSignatureValid => "a signature in its chain is invalid",
                    X509ChainStatusFlags.Revoked => "it is revoked",
                    _ => $"{s.Status}: {s.StatusInformation.Trim()}",
                };
                if (!reasons.Contains(reason))
                {
                    reasons.Add(reason);
                }
            }

            return reasons.Count == 0 ? "the chain does not verify" : string.Join("; ", reasons);
        }

        private static string Names(X509Certificate2 leaf)
        {
            var names = new List<string>();
            foreach (X509Extension extension in leaf.Extensions)
            {
                if (extension is X509SubjectAlternativeNameExtension san)
                {
                    foreach (string dns in san.EnumerateDnsNames())
                    {
                        names.Add(dns);
                    }

                    foreach (System.Net.IPAddress ip in san.EnumerateIPAddresses())
                    {
                        names.Add(ip.ToString());
                    }
                }
            }

            return names.Count > 0 ? string.Join(", ", names) : leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        }
    }
}
