namespace Samsa.Tests.Configuration;

public sealed class RoundTripTests
{
    private static IEnumerable<KeyValuePair<string, string>> SamplesFor(ClientKind kind) =>
        ConfigSamples.ByName
            .Where(s => ConfigProperties.IsKnown(s.Key, kind) && !ConfigProperties.IsSecret(s.Key))
            .Select(s => KeyValuePair.Create(s.Key, s.Value.Value));

    [Theory]
    [InlineData(ClientKind.Producer)]
    [InlineData(ClientKind.Consumer)]
    [InlineData(ClientKind.Admin)]
    public void FromPropertiesOfToPropertiesGivesTheSameConfiguration(ClientKind kind)
    {
        List<KeyValuePair<string, string>> input = SamplesFor(kind).ToList();
        ClientConfig config = From(kind, input);
        IReadOnlyDictionary<string, string> written = config.ToProperties();

        // Every sample shows up, and reading the written form back reproduces the configuration.
        foreach (KeyValuePair<string, string> pair in input)
        {
            Assert.Equal(ConfigSamples.ByName[pair.Key].Shown, written[pair.Key]);
        }

        ClientConfig reread = From(kind, written);
        Assert.Equal(written, reread.ToProperties());
        Assert.Equal(config, reread);
        Assert.Equal(config.ToString(), reread.ToString());
    }

    [Fact]
    public void DefaultsRoundTrip()
    {
        var defaults = new ConsumerConfig();
        ConsumerConfig reread = ConsumerConfig.FromProperties(defaults.ToProperties());
        Assert.Equal(defaults.ToProperties(), reread.ToProperties());
        Assert.Equal("ConsumerConfig { }", reread.ToString());
    }

    [Fact]
    public void PropertiesApplyInOrderAndAliasesShareOneValue()
    {
        ProducerConfig p = ProducerConfig.FromProperties(
        [
            new("linger.ms", "10"),
            new("queue.buffering.max.ms", "20"),
            new("acks", "0"),
            new("request.required.acks", "all"),
        ]);
        Assert.Equal(TimeSpan.FromMilliseconds(20), p.Linger);
        Assert.Equal(Acks.All, p.Acks);
        Assert.Equal("20", p.ToProperties()["linger.ms"]);
        Assert.False(p.ToProperties().ContainsKey("queue.buffering.max.ms"));
    }

    [Fact]
    public void WithKeepsTheConcreteTypeAndLeavesTheOriginalAlone()
    {
        var original = new ConsumerConfig { GroupId = "a" };
        ConsumerConfig changed = original.With("group.id", "b").With("client.id", "c");
        Assert.Equal("a", original.GroupId);
        Assert.Equal("b", changed.GroupId);
        Assert.Equal("c", changed.ClientId);

        ClientConfig asBase = original;
        ClientConfig viaBase = asBase.With("client.id", "d");
        Assert.IsType<ConsumerConfig>(viaBase);
        Assert.Equal("a", ((ConsumerConfig)viaBase).GroupId);
    }

    [Fact]
    public void ToStringShowsOnlyWhatDiffers()
    {
        ProducerConfig p = new ProducerConfig { BootstrapServers = "h:1" }.With("acks", "1").With("linger.ms", "5");
        Assert.Equal("ProducerConfig { bootstrap.servers = h:1, acks = 1 }", p.ToString());
    }

    private static ClientConfig From(ClientKind kind, IEnumerable<KeyValuePair<string, string>> properties) => kind switch
    {
        ClientKind.Producer => ProducerConfig.FromProperties(properties),
        ClientKind.Consumer => ConsumerConfig.FromProperties(properties),
        _ => AdminConfig.FromProperties(properties),
    };
}
