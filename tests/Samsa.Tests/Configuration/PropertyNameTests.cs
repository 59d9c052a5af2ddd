namespace Samsa.Tests.Configuration;

public sealed class PropertyNameTests
{
    public static TheoryData<string> AllNames()
    {
        var data = new TheoryData<string>();
        foreach (ConfigProperty property in ConfigRegistry.All)
        {
            data.Add(property.Name);
            foreach (string alias in property.Aliases)
            {
                data.Add(alias);
            }
        }

        return data;
    }

    [Fact]
    public void EveryPropertyHasASample()
    {
        var names = ConfigRegistry.All.Select(p => p.Name).ToHashSet();
        Assert.Equal(names.Order(), ConfigSamples.ByName.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void EveryPropertyIsSettableByEachOfItsNames(string name)
    {
        string canonical = ConfigProperties.CanonicalName(name)!;
        ConfigSample sample = ConfigSamples.ByName[canonical];
        ClientConfig defaults = ConfigSamples.New(sample.Kind);
        Assert.NotEqual(sample.Expected, sample.Typed(defaults));

        ClientConfig config = defaults.With(name, sample.Value);

        Assert.Equal(sample.Expected, sample.Typed(config));
        Assert.Equal(sample.Shown, config.ToProperties()[canonical]);
        Assert.Empty(config.Warnings);
        Assert.NotEqual(sample.Expected, sample.Typed(defaults)); // With returns a copy
    }

    [Theory]
    [InlineData("metadata.broker.list", "bootstrap.servers")]
    [InlineData("socket.timeout.ms", "request.timeout.ms")]
    [InlineData("topic.metadata.refresh.interval.ms", "metadata.max.age.ms")]
    [InlineData("sasl.mechanisms", "sasl.mechanism")]
    [InlineData("request.required.acks", "acks")]
    [InlineData("queue.buffering.max.ms", "linger.ms")]
    [InlineData("compression.codec", "compression.type")]
    [InlineData("max.in.flight", "max.in.flight.requests.per.connection")]
    [InlineData("message.send.max.retries", "retries")]
    [InlineData("message.timeout.ms", "delivery.timeout.ms")]
    [InlineData("fetch.message.max.bytes", "max.partition.fetch.bytes")]
    [InlineData("fetch.max.wait.ms", "fetch.wait.max.ms")]
    public void AliasesOfLibrdkafkaAndJava(string alias, string canonical)
    {
        Assert.Equal(canonical, ConfigProperties.CanonicalName(alias));
    }

    [Fact]
    public void NamesAreCaseSensitive()
    {
        Assert.Null(ConfigProperties.ScopeOf("Client.Id"));
        ConfigException e = Assert.Throws<ConfigException>(() => new ProducerConfig().With("Client.Id", "x"));
        Assert.Contains("'client.id'", e.Message, StringComparison.Ordinal);
    }
}
