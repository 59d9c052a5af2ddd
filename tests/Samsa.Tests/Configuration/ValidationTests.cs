using Samsa.Compression;

namespace Samsa.Tests.Configuration;

public sealed class ValidationTests
{
    private static ConfigException Fails(ClientConfig config, string property, params string[] inMessage)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => config.Validate());
        Assert.Equal(property, e.Property);
        foreach (string text in inMessage)
        {
            Assert.Contains(text, e.Message, StringComparison.Ordinal);
        }

        return e;
    }

    [Fact]
    public void ValidConfigurationsPassWithoutWarnings()
    {
        Assert.Empty(ConfigSamples.Producer().Validate().Warnings);
        Assert.Empty(ConfigSamples.Consumer().Validate().Warnings);
        Assert.Empty(new AdminConfig { BootstrapServers = "a,b:9093,[::1]:9094" }.Validate().Warnings);
        Assert.Equal(ConfigSamples.Producer(), ConfigSamples.Producer().Validate());
    }

    [Fact]
    public void BootstrapServersIsRequiredAndParsed()
    {
        Fails(new ProducerConfig(), "bootstrap.servers", "bootstrap.servers is required");
        Fails(new AdminConfig(), "bootstrap.servers", "bootstrap.servers is required");
        Fails(new ConsumerConfig { BootstrapServers = "host:99999" }, "bootstrap.servers", "'host:99999'", "bad port");
        Fails(new ConsumerConfig { BootstrapServers = " , " }, "bootstrap.servers", "empty");
    }

    [Fact]
    public void TypedValuesAreRangeChecked()
    {
        Fails(ConfigSamples.Producer() with { Linger = TimeSpan.FromHours(1) }, "linger.ms", "'3600000'", "0..900000");
        Fails(ConfigSamples.Producer() with { BatchSize = 0 }, "batch.size", "'0'", "1..2147483647");
        Fails(ConfigSamples.Producer() with { Acks = (Acks)2 }, "acks", "all, -1, 1, 0");
        Fails(ConfigSamples.Consumer() with { SessionTimeout = TimeSpan.Zero }, "session.timeout.ms", "1..3600000");
        Fails(ConfigSamples.Consumer() with { RequestTimeout = TimeSpan.FromTicks(15_000) }, "request.timeout.ms", "whole number");
        Fails(ConfigSamples.Consumer() with { PartitionAssignmentStrategies = [] }, "partition.assignment.strategy", "at least one");
        Fails(ConfigSamples.Consumer() with { ClientId = null! }, "client.id", "required");
        Fails(ConfigSamples.Consumer() with { Debug = "cgrp,oops" }, "debug", "'oops'");
    }

    [Fact]
    public void BackoffMaximaMustNotBeBelowTheirStart()
    {
        Fails(ConfigSamples.Producer().With("retry.backoff.ms", "2000"), "retry.backoff.max.ms",
            "retry.backoff.max.ms (1000) must be at least retry.backoff.ms (2000)");
        Fails(ConfigSamples.Producer().With("reconnect.backoff.max.ms", "10"), "reconnect.backoff.max.ms",
            "reconnect.backoff.ms (100)");
    }

    [Fact]
    public void ImplicitIdempotenceIsDisabledWithAWarningWhenAcksConflict()
    {
        ProducerConfig effective = ConfigSamples.Producer().With("acks", "1").Validate();
        Assert.False(effective.EnableIdempotence);
        string warning = Assert.Single(effective.Warnings);
        Assert.Contains("acks=1", warning, StringComparison.Ordinal);
        Assert.Contains("enable.idempotence", warning, StringComparison.Ordinal);

        // Validating the result again adds nothing and changes nothing.
        ProducerConfig again = effective.Validate();
        Assert.Equal(effective.Warnings, again.Warnings);
        Assert.False(again.EnableIdempotence);
    }

    [Theory]
    [InlineData("max.in.flight", "6", "max.in.flight.requests.per.connection=6")]
    [InlineData("retries", "0", "retries=0")]
    [InlineData("acks", "0", "acks=0")]
    public void ImplicitIdempotenceYieldsToEachConflict(string name, string value, string named)
    {
        ProducerConfig effective = ConfigSamples.Producer().With(name, value).Validate();
        Assert.False(effective.EnableIdempotence);
        Assert.Contains(named, Assert.Single(effective.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitIdempotenceConflictsAreErrors()
    {
        ProducerConfig config = ConfigSamples.Producer().With("enable.idempotence", "true").With("acks", "1");
        ConfigException e = Fails(config, "enable.idempotence", "enable.idempotence=true requires", "acks=1");
        Assert.DoesNotContain("max.in.flight.requests.per.connection=", e.Message, StringComparison.Ordinal);

        Fails(ConfigSamples.Producer() with { EnableIdempotence = true, MaxInFlight = 10 }, "enable.idempotence",
            "max.in.flight.requests.per.connection=10");
        Fails(ConfigSamples.Producer() with { EnableIdempotence = true, Retries = 0, Acks = Acks.None }, "enable.idempotence",
            "acks=0 and retries=0");
    }

    [Fact]
    public void NonIdempotentProducerTakesAnyAcksAndInFlight()
    {
        ProducerConfig effective = (ConfigSamples.Producer() with { EnableIdempotence = false, Acks = Acks.None, MaxInFlight = 100 }).Validate();
        Assert.Empty(effective.Warnings);
        Assert.Equal(Acks.None, effective.Acks);
    }

    [Fact]
    public void TransactionalIdIsNotSupported() =>
        Fails(ConfigSamples.Producer().With("transactional.id", "tx"), "transactional.id", "does not support transactions");

    [Fact]
    public void GaplessGuaranteeRequiresIdempotence()
    {
        Assert.True(ConfigSamples.Producer().With("enable.gapless.guarantee", "true").Validate().EnableGaplessGuarantee);
        Fails(ConfigSamples.Producer().With("enable.gapless.guarantee", "true").With("acks", "1"), "enable.gapless.guarantee",
            "requires enable.idempotence=true", "acks=1");
        Fails(ConfigSamples.Producer() with { EnableGaplessGuarantee = true, EnableIdempotence = false }, "enable.gapless.guarantee");
    }

    [Theory]
    [InlineData(CompressionType.Gzip, 9, true)]
    [InlineData(CompressionType.Gzip, 10, false)]
    [InlineData(CompressionType.Gzip, 0, true)]
    [InlineData(CompressionType.Lz4, 12, true)]
    [InlineData(CompressionType.Lz4, 13, false)]
    [InlineData(CompressionType.Zstd, 22, true)]
    [InlineData(CompressionType.Zstd, 0, false)]
    [InlineData(CompressionType.Snappy, 0, true)]
    [InlineData(CompressionType.Snappy, 1, false)]
    [InlineData(CompressionType.Zstd, -1, true)]
    public void CompressionLevelDependsOnTheCodec(CompressionType type, int level, bool ok)
    {
        ProducerConfig config = ConfigSamples.Producer() with { CompressionType = type, CompressionLevel = level };
        if (ok)
        {
            Assert.Empty(config.Validate().Warnings);
        }
        else
        {
            Fails(config, "compression.level", $"compression.level={level}", $"compression.type={type.ToString().ToLowerInvariant()}");
        }
    }

    [Fact]
    public void CompressionLevelWithoutCompressionIsAWarning() =>
        Assert.Contains("compression.level", Assert.Single((ConfigSamples.Producer() with { CompressionLevel = 3 }).Validate().Warnings), StringComparison.Ordinal);

    [Fact]
    public void DeliveryTimeoutMustExceedLinger()
    {
        Fails(ConfigSamples.Producer().With("message.timeout.ms", "100").With("linger.ms", "100"), "delivery.timeout.ms",
            "delivery.timeout.ms (100) must be greater than linger.ms (100)");
        Assert.Equal(TimeSpan.Zero, ConfigSamples.Producer().With("delivery.timeout.ms", "0").With("linger.ms", "1000").Validate().DeliveryTimeout);
    }

    [Theory]
    [InlineData("sasl_plaintext")]
    [InlineData("sasl_ssl")]
    public void SaslProtocolsRequireAMechanismAndCredentials(string protocol)
    {
        ProducerConfig config = ConfigSamples.Producer().With("security.protocol", protocol);
        Fails(config, "sasl.mechanism", $"security.protocol={protocol} requires sasl.mechanism");
        Fails(config.With("sasl.mechanism", "SCRAM-SHA-256"), "sasl.username", "sasl.mechanism=SCRAM-SHA-256 requires sasl.username");
        Fails(config.With("sasl.mechanism", "PLAIN").With("sasl.username", "u"), "sasl.password", "requires sasl.password");
        Assert.Empty(config.With("sasl.mechanism", "PLAIN").With("sasl.username", "u").With("sasl.password", "p").Validate().Warnings);
        Assert.Empty(config.With("sasl.mechanism", "OAUTHBEARER").Validate().Warnings);
    }

    [Fact]
    public void SaslAndTlsSettingsWithoutThatLayerAreWarnings()
    {
        ProducerConfig effective = ConfigSamples.Producer().With("sasl.username", "u").With("ssl.ca.location", "/ca").Validate();
        Assert.Equal(2, effective.Warnings.Count);
        Assert.Contains(effective.Warnings, w => w.StartsWith("sasl.username is set but security.protocol=plaintext", StringComparison.Ordinal));
        Assert.Contains(effective.Warnings, w => w.StartsWith("ssl.ca.location is set but security.protocol=plaintext does not use TLS", StringComparison.Ordinal));

        ProducerConfig sasl = ConfigSamples.Producer().With("security.protocol", "sasl_plaintext").With("sasl.mechanism", "PLAIN")
            .With("sasl.username", "u").With("sasl.password", "p").With("ssl.ca.pem", "PEM").Validate();
        Assert.Contains("ssl.ca.pem is set but security.protocol=sasl_plaintext", Assert.Single(sasl.Warnings), StringComparison.Ordinal);

        Assert.Empty(ConfigSamples.Producer().With("security.protocol", "ssl").With("ssl.ca.location", "/ca").Validate().Warnings);

        ProducerConfig noVerify = ConfigSamples.Producer().With("enable.ssl.certificate.verification", "false")
            .With("ssl.endpoint.identification.algorithm", "none").Validate();
        Assert.StartsWith(
            "ssl.endpoint.identification.algorithm, enable.ssl.certificate.verification are set but security.protocol=plaintext",
            Assert.Single(noVerify.Warnings),
            StringComparison.Ordinal);
    }

    [Fact]
    public void ANullListIsReportedNotThrownFromToString()
    {
        ConsumerConfig config = ConfigSamples.Consumer() with { PartitionAssignmentStrategies = null! };
        Assert.DoesNotContain("partition.assignment.strategy", config.ToString(), StringComparison.Ordinal);
        Assert.False(config.ToProperties().ContainsKey("partition.assignment.strategy"));
        Fails(config, "partition.assignment.strategy", "at least one assignor");
    }

    [Fact]
    public void TypedListsAreCopiedAndCompareByValue()
    {
        PartitionAssignmentStrategy[] mine = [PartitionAssignmentStrategy.RoundRobin];
        ConsumerConfig config = ConfigSamples.Consumer() with { PartitionAssignmentStrategies = mine };
        mine[0] = PartitionAssignmentStrategy.CooperativeSticky;
        Assert.Equal(PartitionAssignmentStrategy.RoundRobin, Assert.Single(config.PartitionAssignmentStrategies));
        Assert.Equal(config, ConfigSamples.Consumer().With("partition.assignment.strategy", "roundrobin"));
    }

    [Fact]
    public void TlsFilesAndPemsAreExclusiveAndCertificatesNeedKeys()
    {
        ProducerConfig ssl = ConfigSamples.Producer().With("security.protocol", "ssl");
        Fails(ssl.With("ssl.ca.location", "/ca").With("ssl.ca.pem", "PEM"), "ssl.ca.location", "mutually exclusive");
        Fails(ssl.With("ssl.certificate.location", "/c"), "ssl.key.location", "requires its private key");
        Fails(ssl.With("ssl.key.pem", "KEY"), "ssl.certificate.location", "requires its client certificate");
        Assert.Empty(ssl.With("ssl.key.pem", "KEY").With("ssl.certificate.pem", "CERT").Validate().Warnings);
    }

    [Fact]
    public void GroupInstanceIdRequiresGroupId() =>
        Fails(ConfigSamples.Consumer() with { GroupId = null, GroupInstanceId = "i" }, "group.instance.id", "group.instance.id requires group.id");

    [Fact]
    public void EmptyGroupNamesAreRefused()
    {
        Fails(ConfigSamples.Consumer() with { GroupId = "" }, "group.id", "group.id is empty");
        Fails(ConfigSamples.Consumer().With("group.id", "  "), "group.id", "group.id is empty");
        Fails(ConfigSamples.Consumer() with { GroupInstanceId = " " }, "group.instance.id", "group.instance.id is empty");
    }

    [Fact]
    public void HeartbeatMustBeBelowSessionTimeout()
    {
        Fails(ConfigSamples.Consumer().With("heartbeat.interval.ms", "45000"), "heartbeat.interval.ms",
            "heartbeat.interval.ms (45000) must be lower than session.timeout.ms (45000)");
        Fails(ConfigSamples.Consumer().With("max.poll.interval.ms", "1000"), "max.poll.interval.ms", "session.timeout.ms (45000)");
    }

    [Fact]
    public void CooperativeAndEagerAssignorsDoNotMix() =>
        Fails(ConfigSamples.Consumer().With("partition.assignment.strategy", "range,cooperative-sticky"), "partition.assignment.strategy",
            "mixes cooperative-sticky with eager");

    [Fact]
    public void ConsumerProtocolIgnoresClassicSettingsWithWarnings()
    {
        ConsumerConfig config = ConfigSamples.Consumer().With("group.protocol", "consumer");
        Assert.Empty(config.Validate().Warnings);

        ConsumerConfig effective = config.With("session.timeout.ms", "10000").With("partition.assignment.strategy", "range,roundrobin,cooperative-sticky").Validate();
        Assert.Equal(2, effective.Warnings.Count);
        Assert.Contains(effective.Warnings, w => w.StartsWith("session.timeout.ms is set but group.protocol=consumer", StringComparison.Ordinal));
        Assert.Contains(effective.Warnings, w => w.Contains("use group.remote.assignor", StringComparison.Ordinal));

        ConsumerConfig classic = ConfigSamples.Consumer().With("group.remote.assignor", "uniform").Validate();
        Assert.Contains("group.remote.assignor", Assert.Single(classic.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void FetchSizesFollowTheBudgetAndTheResponseLimit()
    {
        // Left at its default, fetch.max.bytes shrinks to the prefetch budget.
        ConsumerConfig small = ConfigSamples.Consumer().With("queued.max.messages.kbytes", "1024").Validate();
        Assert.Equal(1024 * 1024, small.FetchMaxBytes);
        Assert.Empty(small.Warnings);

        // Set above the budget, it stays and is warned about.
        ConsumerConfig big = ConfigSamples.Consumer().With("queued.max.messages.kbytes", "1024").With("fetch.max.bytes", "2000000").Validate();
        Assert.Equal(2_000_000, big.FetchMaxBytes);
        Assert.Contains("queued.max.messages.kbytes", Assert.Single(big.Warnings), StringComparison.Ordinal);

        // receive.message.max.bytes grows to fit unless it was set.
        ConsumerConfig grown = ConfigSamples.Consumer().With("fetch.max.bytes", "150000000").With("queued.max.messages.kbytes", "200000").Validate();
        Assert.Equal(150_000_512, grown.ReceiveMessageMaxBytes);
        Fails(ConfigSamples.Consumer().With("fetch.max.bytes", "150000000").With("queued.max.messages.kbytes", "200000").With("receive.message.max.bytes", "100000000"),
            "receive.message.max.bytes", "must be at least fetch.max.bytes + 512 (150000512)");
    }
}
