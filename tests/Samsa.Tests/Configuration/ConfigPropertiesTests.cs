namespace Samsa.Tests.Configuration;

public sealed class ConfigPropertiesTests
{
    [Theory]
    [InlineData("bootstrap.server", "bootstrap.servers")]
    [InlineData("bootstrap_servers", "bootstrap.servers")]
    [InlineData("linger_ms", "linger.ms")]
    [InlineData("Client.Id", "client.id")]
    [InlineData("sesion.timeout.ms", "session.timeout.ms")]
    [InlineData("max.in.flights", "max.in.flight")]
    public void UnknownPropertySuggestsTheClosestName(string name, string suggestion)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => ConfigProperties.Validate(name, "1"));
        Assert.Equal(name, e.Property);
        Assert.Null(e.Value);
        Assert.Equal($"Unknown configuration property '{name}'. Did you mean '{suggestion}'?", e.Reason);
    }

    [Theory]
    [InlineData("totally.unrelated")]
    [InlineData("sasl.jaas.config")]
    [InlineData("")]
    public void UnknownPropertyWithoutACloseNameSuggestsNothing(string name)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => new ConsumerConfig().With(name, "x"));
        Assert.Equal(name, e.Property);
        Assert.DoesNotContain("Did you mean", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Unknown configuration property '{name}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownPropertyMessageIsDocumentedForm()
    {
        ConfigException e = Assert.Throws<ConfigException>(() => ProducerConfig.FromProperties([new("lingr.ms", "5")]));
        Assert.Contains("'lingr.ms'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'linger.ms'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client.id", ClientKind.Producer, true)]
    [InlineData("client.id", ClientKind.Consumer, true)]
    [InlineData("client.id", ClientKind.Admin, true)]
    [InlineData("acks", ClientKind.Producer, true)]
    [InlineData("acks", ClientKind.Consumer, false)]
    [InlineData("acks", ClientKind.Admin, false)]
    [InlineData("group.id", ClientKind.Consumer, true)]
    [InlineData("group.id", ClientKind.Producer, false)]
    [InlineData("fetch.max.wait.ms", ClientKind.Consumer, true)]
    [InlineData("no.such.thing", ClientKind.Producer, false)]
    public void IsKnown(string name, ClientKind kind, bool known) =>
        Assert.Equal(known, ConfigProperties.IsKnown(name, kind));

    [Theory]
    [InlineData("sasl.mechanisms", ConfigScope.Common)]
    [InlineData("linger.ms", ConfigScope.Producer)]
    [InlineData("queue.buffering.max.ms", ConfigScope.Producer)]
    [InlineData("enable.auto.commit", ConfigScope.Consumer)]
    [InlineData("max.poll.records", ConfigScope.Consumer)]
    [InlineData("no.such.thing", null)]
    public void ScopeOf(string name, ConfigScope? scope) => Assert.Equal(scope, ConfigProperties.ScopeOf(name));

    [Fact]
    public void SecretsDescriptionsAndCanonicalNames()
    {
        Assert.True(ConfigProperties.IsSecret("sasl.password"));
        Assert.True(ConfigProperties.IsSecret("ssl.key.password"));
        Assert.True(ConfigProperties.IsSecret("ssl.key.pem"));
        Assert.True(ConfigProperties.IsSecret("sasl.oauthbearer.config"));
        Assert.False(ConfigProperties.IsSecret("sasl.username"));
        Assert.False(ConfigProperties.IsSecret("no.such.thing"));
        Assert.Equal("linger.ms", ConfigProperties.CanonicalName("queue.buffering.max.ms"));
        Assert.Null(ConfigProperties.CanonicalName("no.such.thing"));
        Assert.Contains("0..900000", ConfigProperties.Describe("linger.ms"), StringComparison.Ordinal);
        Assert.Null(ConfigProperties.Describe("no.such.thing"));
    }

    [Fact]
    public void ValidateChecksValuesOfAnyClientKind()
    {
        ConfigProperties.Validate("acks", "all");
        ConfigProperties.Validate("group.id", "g");
        ConfigProperties.Validate("fetch.message.max.bytes", "1024");
        ConfigException e = Assert.Throws<ConfigException>(() => ConfigProperties.Validate("session.timeout.ms", "soon"));
        Assert.Equal("session.timeout.ms", e.Property);
        Assert.Equal("soon", e.Value);
        Assert.Contains("an integer of milliseconds in 1..3600000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PropertyOfAnotherKindIsIgnoredWithAWarning()
    {
        ProducerConfig p = ProducerConfig.FromProperties([new("group.id", "g"), new("linger.ms", "7")]);
        Assert.Equal(TimeSpan.FromMilliseconds(7), p.Linger);
        string warning = Assert.Single(p.Warnings);
        Assert.Equal("Configuration property 'group.id' is a consumer property; a producer ignores it.", warning);
        Assert.False(p.ToProperties().ContainsKey("group.id"));

        AdminConfig a = new AdminConfig().With("acks", "1");
        Assert.Contains("'acks' is a producer property; an admin client ignores it", Assert.Single(a.Warnings), StringComparison.Ordinal);

        // The warning survives Validate, and the ignored value is still checked.
        Assert.Single(p.With("bootstrap.servers", "h:1").Validate().Warnings);
        Assert.Throws<ConfigException>(() => new ProducerConfig().With("session.timeout.ms", "-1"));
    }
}
