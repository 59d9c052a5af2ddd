namespace Samsa.Tests.Configuration;

public sealed class SecretTests
{
    private const string Password = "hunter2-sasl";
    private const string KeyPassword = "hunter2-key";
    private const string KeyPem = "-----BEGIN PRIVATE KEY-----hunter2-pem";
    private const string OAuth = "principal=admin hunter2-oauth";

    private static readonly string[] Secrets = [Password, KeyPassword, KeyPem, OAuth];

    private static ConsumerConfig WithSecrets() => ConsumerConfig.FromProperties(
    [
        new("bootstrap.servers", "localhost:9092"),
        new("security.protocol", "sasl_ssl"),
        new("sasl.mechanism", "PLAIN"),
        new("sasl.username", "alice"),
        new("sasl.password", Password),
        new("ssl.certificate.pem", "CERT"),
        new("ssl.key.pem", KeyPem),
        new("ssl.key.password", KeyPassword),
        new("sasl.oauthbearer.config", OAuth),
    ]);

    private static void AssertNoSecret(string text)
    {
        foreach (string secret in Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringShowsChangedPropertiesButNoSecret()
    {
        ConsumerConfig config = WithSecrets();
        string text = config.ToString();
        AssertNoSecret(text);
        Assert.Contains("sasl.username = alice", text, StringComparison.Ordinal);
        Assert.Contains("sasl.password = [redacted]", text, StringComparison.Ordinal);
        Assert.Contains("ssl.key.pem = [redacted]", text, StringComparison.Ordinal);
        Assert.Contains("ssl.key.password = [redacted]", text, StringComparison.Ordinal);
        Assert.Contains("sasl.oauthbearer.config = [redacted]", text, StringComparison.Ordinal);
        Assert.StartsWith("ConsumerConfig { ", text, StringComparison.Ordinal);

        // Through the base type, and through string interpolation, the same.
        ClientConfig asBase = config;
        Assert.Equal(text, asBase.ToString());
        AssertNoSecret($"{config}");
    }

    [Fact]
    public void ToPropertiesRedactsSecrets()
    {
        IReadOnlyDictionary<string, string> properties = WithSecrets().ToProperties();
        AssertNoSecret(string.Join(";", properties.Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal("[redacted]", properties["sasl.password"]);
        Assert.Equal("[redacted]", properties["ssl.key.pem"]);
        Assert.Equal("[redacted]", properties["ssl.key.password"]);
        Assert.Equal("[redacted]", properties["sasl.oauthbearer.config"]);
        Assert.Equal("alice", properties["sasl.username"]);
    }

    [Fact]
    public void SecretsAreStillUsable()
    {
        ConsumerConfig config = WithSecrets();
        Assert.Equal(Password, config.SaslPassword);
        Assert.Equal(KeyPem, config.SslKeyPem);
        Assert.Equal(KeyPassword, config.SslKeyPassword);
    }

    [Fact]
    public void ValidationErrorsNeverShowSecrets()
    {
        // Both PEM and file forms of the key set: the error names the properties but shows no key.
        ConfigException e = Assert.Throws<ConfigException>(() => WithSecrets().With("ssl.key.location", "/key").Validate());
        Assert.Contains("ssl.key.location and ssl.key.pem are mutually exclusive", e.Message, StringComparison.Ordinal);
        AssertNoSecret(e.Message);
        AssertNoSecret(e.Value ?? string.Empty);
    }

    [Fact]
    public void InvalidSecretValuesAreRedactedInErrors()
    {
        // No shipped secret has a format to get wrong; a secret number stands in for one that would.
        var secret = new ConfigProperty<ClientConfig, int>(
            "test.secret", [], ConfigScope.Common, isSecret: true, ConfigValues.Int(0, 10), c => c.LogLevel,
            (c, v) => c with { LogLevel = v }, "A test secret.");

        ConfigException e = Assert.Throws<ConfigException>(() => secret.CheckText("test.secret", "hunter2-42"));
        Assert.Equal("[redacted]", e.Value);
        Assert.Contains("Invalid value '[redacted]' for configuration property 'test.secret'", e.Message, StringComparison.Ordinal);
        AssertNoSecret(e.Message);

        ConfigException typed = ConfigErrors.OutOfRange(secret, new ProducerConfig { LogLevel = 42 }, "expected 0..10");
        Assert.Equal("[redacted]", typed.Value);
        Assert.DoesNotContain("42", typed.Message, StringComparison.Ordinal);
    }
}
