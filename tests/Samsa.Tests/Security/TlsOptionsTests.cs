using Samsa.Network.Security;
using Samsa.TestSupport.SecureFront;

namespace Samsa.Tests.Security;

public sealed class TlsOptionsTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly string _directory;

    public TlsOptionsTests()
    {
        _directory = _certificates.WriteTo();
    }

    [Fact]
    public void Loads_the_ca_file_and_the_client_certificate_with_its_key()
    {
        TlsOptions options = TlsOptions.FromConfig(new ProducerConfig
        {
            SslCaLocation = _certificates.PathOf("ca.pem"),
            SslCertificateLocation = _certificates.PathOf("client.pem"),
            SslKeyLocation = _certificates.PathOf("client.key"),
        });
        Assert.Equal(_certificates.Ca.Thumbprint, Assert.Single(options.TrustedCertificates!).Thumbprint);
        Assert.True(options.ClientCertificate!.HasPrivateKey);
        Assert.Equal(_certificates.Client.Thumbprint, options.ClientCertificate.Thumbprint);
        Assert.True(options.VerifyHostName);
        Assert.True(options.VerifyCertificate);
    }

    [Fact]
    public void Loads_every_certificate_of_a_ca_directory_and_pem_strings()
    {
        string dir = Path.Combine(_directory, "cas");
        Directory.CreateDirectory(dir);
        File.Copy(_certificates.PathOf("ca.pem"), Path.Combine(dir, "a.pem"));
        File.Copy(_certificates.PathOf("other-ca.pem"), Path.Combine(dir, "b.crt"));
        File.WriteAllText(Path.Combine(dir, "README"), "not a certificate");
        Assert.Equal(2, TlsOptions.FromConfig(new ProducerConfig { SslCaLocation = dir }).TrustedCertificates!.Count);

        TlsOptions fromPem = TlsOptions.FromConfig(new ProducerConfig
        {
            SslCaPem = _certificates.CaPem,
            SslCertificatePem = _certificates.ClientCertificatePem,
            SslKeyPem = _certificates.ClientKeyPem,
            SslEndpointIdentificationAlgorithm = SslEndpointIdentification.None,
            EnableSslCertificateVerification = false,
        });
        Assert.Single(fromPem.TrustedCertificates!);
        Assert.True(fromPem.ClientCertificate!.HasPrivateKey);
        Assert.False(fromPem.VerifyHostName);
        Assert.False(fromPem.VerifyCertificate);
    }

    [Fact]
    public void Without_a_ca_the_system_store_is_used()
    {
        Assert.Null(TlsOptions.FromConfig(new ProducerConfig()).TrustedCertificates);
        Assert.Null(TlsOptions.FromConfig(new ProducerConfig { SslCaLocation = "probe" }).TrustedCertificates);
    }

    [Fact]
    public void An_encrypted_key_needs_the_right_password_which_no_error_shows()
    {
        string encrypted = _certificates.PathOf("client-encrypted.key");
        TlsOptions options = TlsOptions.FromConfig(new ProducerConfig
        {
            SslCertificateLocation = _certificates.PathOf("client.pem"),
            SslKeyLocation = encrypted,
            SslKeyPassword = TestCertificates.ClientKeyPassword,
        });
        Assert.True(options.ClientCertificate!.HasPrivateKey);

        var wrong = Assert.Throws<ConfigException>(() => TlsOptions.FromConfig(new ProducerConfig
        {
            SslCertificateLocation = _certificates.PathOf("client.pem"),
            SslKeyLocation = encrypted,
            SslKeyPassword = "not-the-password",
        }));
        Assert.Contains("ssl.key.password", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", wrong.ToString(), StringComparison.Ordinal);

        var missing = Assert.Throws<ConfigException>(() => TlsOptions.FromConfig(new ProducerConfig
        {
            SslCertificateLocation = _certificates.PathOf("client.pem"),
            SslKeyLocation = encrypted,
        }));
        Assert.Contains("set ssl.key.password", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_and_non_pem_text_are_config_errors_naming_the_property()
    {
        var missing = Assert.Throws<ConfigException>(() => TlsOptions.FromConfig(new ProducerConfig { SslCaLocation = "/nonexistent/ca.pem" }));
        Assert.Equal("ssl.ca.location", missing.Property);
        Assert.Contains("/nonexistent/ca.pem", missing.Message, StringComparison.Ordinal);

        var notPem = Assert.Throws<ConfigException>(() => TlsOptions.FromConfig(new ProducerConfig { SslCaPem = "hello" }));
        Assert.Equal("ssl.ca.pem", notPem.Property);

        var wrongKey = Assert.Throws<ConfigException>(() => TlsOptions.FromConfig(new ProducerConfig
        {
            SslCertificateLocation = _certificates.PathOf("client.pem"),
            SslKeyLocation = _certificates.PathOf("stranger.key"),
        }));
        Assert.Contains("no private key that matches", wrongKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_never_shows_secrets_and_oauthbearer_needs_a_token_source()
    {
        ProducerConfig config = ProducerConfig.FromProperties(new Dictionary<string, string>
        {
            ["bootstrap.servers"] = "b:9092",
            ["security.protocol"] = "sasl_ssl",
            ["sasl.mechanism"] = "SCRAM-SHA-256",
            ["sasl.username"] = "alice",
            ["sasl.password"] = "pw-123-secret",
            ["ssl.key.password"] = "key-456-secret",
        });
        Assert.DoesNotContain("secret", config.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", string.Join(",", config.ToProperties().Values), StringComparison.Ordinal);

        // OAUTHBEARER needs a token source: the client refuses to be built without one.
        ProducerConfig oauth = config with { SaslMechanism = SaslMechanism.OAuthBearer, SecurityProtocol = SecurityProtocol.SaslPlaintext };
        var noToken = Assert.Throws<ConfigException>(() => new Producer<string, string>(oauth));
        Assert.Equal("sasl.oauthbearer.config", noToken.Property);
        var badConfig = Assert.Throws<ConfigException>(() => new Producer<string, string>(oauth with { SaslOAuthBearerConfig = "lifeSeconds=5" }));
        Assert.Contains("principal=NAME is required", badConfig.Message, StringComparison.Ordinal);
        ProducerConfig withProvider = oauth with
        {
            OAuthBearerTokenProvider = _ => ValueTask.FromResult(new OAuthBearerToken("t", DateTimeOffset.UtcNow.AddHours(1))),
            SaslOAuthBearerConfig = "principal=x",
        };
        Assert.Contains(withProvider.Validate().Warnings, w => w.Contains("provider's tokens are used", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
