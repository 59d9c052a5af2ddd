using Samsa.Tests.Producer;

namespace Samsa.Tests.Reliability;

/// <summary>
/// Bad input at the managed API's surfaces that the per-feature tests leave out: each gets a clear exception
/// that names the problem, at once, and never a crash, a hang or a lost message.
/// </summary>
public sealed class BadInputSweepTests
{
    private static ProducerConfig Config(IdempotentFakeKafka kafka) => new() { BootstrapServers = kafka.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };

    [Fact]
    public void NullConfigurationsAreArgumentNullExceptions()
    {
        Assert.Equal("config", Assert.Throws<ArgumentNullException>(() => new Producer<string, string>((ProducerConfig)null!)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new ConsumerBuilder<string, string>((ConsumerConfig)null!));
        Assert.Throws<ArgumentNullException>(() => new AdminClient((AdminConfig)null!));
        Assert.Throws<ArgumentNullException>(() => ProducerConfig.FromProperties(null!));
    }

    [Theory]
    [InlineData("", "x")]
    [InlineData("   ", "x")]
    [InlineData("bootstrap.server", "127.0.0.1:1")]
    [InlineData("request.timeout.ms", "-1")]
    [InlineData("message.timeout.ms", "-5")]
    [InlineData("linger.ms", "-1")]
    [InlineData("retry.backoff.ms", "-10")]
    [InlineData("message.max.bytes", "-1")]
    [InlineData("message.max.bytes", "0")]
    [InlineData("queue.buffering.max.messages", "-3")]
    [InlineData("max.in.flight.requests.per.connection", "0")]
    [InlineData("request.timeout.ms", "ten")]
    [InlineData("request.timeout.ms", "99999999999999999999")]
    [InlineData("acks", "")]
    public void BadProducerPropertiesAreConfigExceptionsNamingThem(string name, string value)
    {
        var ex = Assert.Throws<ConfigException>(() =>
            new ProducerBuilder<string, string>([new("bootstrap.servers", "127.0.0.1:1"), new(name, value)]).Build());
        if (!string.IsNullOrWhiteSpace(name))
        {
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"Unknown configuration property '{name}'", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("session.timeout.ms", "-1")]
    [InlineData("fetch.max.bytes", "-1")]
    [InlineData("auto.offset.reset", "sometimes")]
    [InlineData("enable.auto.commit", "perhaps")]
    [InlineData("max.poll.interval.ms", "0")]
    [InlineData("no.such.consumer.property", "1")]
    public void BadConsumerPropertiesAreConfigExceptionsNamingThem(string name, string value)
    {
        var ex = Assert.Throws<ConfigException>(() =>
            new ConsumerBuilder<string, string>([new("bootstrap.servers", "127.0.0.1:1"), new("group.id", "g"), new(name, value)]).Build());
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProducerPropertyGivenToAConsumerIsIgnoredWithAWarningNamingIt()
    {
        // As librdkafka does: checked, then ignored with a warning, never silently.
        ConsumerConfig config = ConsumerConfig.FromProperties([new("bootstrap.servers", "127.0.0.1:1"), new("linger.ms", "5")]);
        Assert.Contains(config.Validate().Warnings, w => w.Contains("linger.ms", StringComparison.Ordinal));
        Assert.Throws<ConfigException>(() => ConsumerConfig.FromProperties([new("bootstrap.servers", "127.0.0.1:1"), new("linger.ms", "-5")]));
    }

    [Fact]
    public async Task NullAndEmptyProduceArgumentsAreRejectedAtOnce()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        await using var producer = new Producer<string, string>(Config(kafka));
        var message = new Message<string, string> { Value = "v" };
        Assert.Throws<ArgumentNullException>(() => producer.Produce((string)null!, message));
        Assert.Throws<ArgumentNullException>(() => producer.Produce("t", null!));
        Assert.Throws<ArgumentNullException>(() => producer.Produce("t", message, (IDeliveryHandler)null!));
        Assert.Throws<ArgumentException>(() => producer.Produce(new TopicPartition("", 0), message));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await producer.ProduceAsync((string)null!, message));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await producer.ProduceAsync("t", null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await producer.ProduceAsync("", message));
        Assert.Throws<ArgumentNullException>(() => producer.ProduceRaw(null!, -1, default, true, "v"u8, false, default, 0, null, null));
        Assert.Equal(0, producer.QueueLength);
    }

    [Fact]
    public async Task NegativeTimeoutsAreRejectedNamingTheArgument()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        await using var producer = new Producer<string, string>(Config(kafka));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => producer.Flush(TimeSpan.FromSeconds(-5)));
        Assert.Equal("timeout", ex.ParamName);
        Assert.Equal(0, producer.Flush(Timeout.InfiniteTimeSpan)); // -1 ms means no limit, as documented
    }

    [Fact]
    public async Task AnOversizedMessageIsRejectedWhateverPartMakesItTooLarge()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        await using var producer = new Producer<byte[], byte[]>(Config(kafka) with { MessageMaxBytes = 5_000 });
        var bigKey = new Message<byte[], byte[]> { Key = new byte[6_000], Value = [1] };
        var bigHeaders = new Message<byte[], byte[]> { Value = [1], Headers = new Headers { new Header("h", new byte[6_000]) } };
        foreach (var message in new[] { bigKey, bigHeaders })
        {
            var ex = Assert.Throws<KafkaException>(() => producer.Produce("t", message));
            Assert.Equal(ErrorCode.MessageTooLarge, ex.Error);
            Assert.Contains("message.max.bytes", ex.Message, StringComparison.Ordinal);
        }

        var raw = Assert.Throws<KafkaException>(() => producer.ProduceRaw("t", -1, default, true, new byte[6_000], false, default, 0, null, null));
        Assert.Equal(ErrorCode.MessageTooLarge, raw.Error);
        Assert.Equal(0, producer.QueueLength);

        // A message that fits still goes through after the rejections.
        DeliveryResult<byte[], byte[]> ok = await producer.ProduceAsync("t", new Message<byte[], byte[]> { Value = new byte[1_000] });
        Assert.Equal(PersistenceStatus.Persisted, ok.Status);
    }

    [Fact]
    public async Task EveryProducerCallAfterDisposeIsObjectDisposed()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        var producer = new Producer<byte[], byte[]>(Config(kafka));
        producer.Dispose();
        producer.Dispose();
        var message = new Message<byte[], byte[]> { Value = [1] };
        Assert.Throws<ObjectDisposedException>(() => producer.Produce(new TopicPartition("t", 0), message));
        Assert.Throws<ObjectDisposedException>(() => producer.Produce("t", message, report => { }));
        Assert.Throws<ObjectDisposedException>(() => producer.ProduceRaw("t", 0, default, true, "v"u8, false, default, 0, null, null));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await producer.ProduceAsync(new TopicPartition("t", 0), message));
        Assert.Throws<ObjectDisposedException>(() => producer.Flush(TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => producer.FlushAsync());
    }

    [Fact]
    public async Task AdminArgumentsAndCallsAfterDisposeAreClearErrors()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        var admin = new AdminClient(new AdminConfig { BootstrapServers = kafka.BootstrapServers });
        await Assert.ThrowsAsync<ArgumentNullException>(() => admin.CreateTopicsAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => admin.DeleteTopicsAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => admin.DeleteTopicsAsync([""]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => admin.CreateTopicsAsync([new NewTopic("x", NumPartitions: -5)]));
        await admin.DisposeAsync();
        admin.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => admin.ListTopicsAsync());
    }
}
