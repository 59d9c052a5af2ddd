using Samsa.TestSupport;

namespace Samsa.Tests.Producer;

/// <summary>Bad input to the producer gets a clear error at once: never a crash, a hang or a silent loss.</summary>
public sealed class ProducerBadInputTests
{
    [Fact]
    public void An_unknown_property_is_rejected_naming_it()
    {
        var ex = Assert.Throws<ConfigException>(() => new ProducerBuilder<string, string>(
            [new("bootstrap.servers", "127.0.0.1:1"), new("linger.msec", "5")]).Build());
        Assert.Equal("linger.msec", ex.Property);
        Assert.Contains("linger.msec", ex.Message, StringComparison.Ordinal);
        Assert.Contains("linger.ms", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acks", "2")]
    [InlineData("linger.ms", "-1")]
    [InlineData("compression.type", "brotli")]
    [InlineData("enable.idempotence", "maybe")]
    [InlineData("batch.size", "0")]
    public void An_invalid_value_is_rejected_naming_property_and_value(string name, string value)
    {
        var ex = Assert.Throws<ConfigException>(() => ProducerConfig.FromProperties([new("bootstrap.servers", "127.0.0.1:1"), new(name, value)]));
        Assert.Equal(name, ex.Property);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_bootstrap_servers_is_a_clear_error()
    {
        var ex = Assert.Throws<ConfigException>(() => new Producer<string, string>(new ProducerConfig()));
        Assert.Contains("bootstrap.servers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_message_fails_at_once_with_message_too_large()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        await using var producer = new Producer<byte[], byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, MessageMaxBytes = 10_000 });
        var big = new Message<byte[], byte[]> { Value = new byte[20_000] };
        var ex = Assert.Throws<KafkaException>(() => producer.Produce("t", big));
        Assert.Equal(ErrorCode.MessageTooLarge, ex.Error);
        Assert.Contains("message.max.bytes", ex.Message, StringComparison.Ordinal);
        var asyncEx = await Assert.ThrowsAnyAsync<KafkaException>(async () => await producer.ProduceAsync("t", big));
        Assert.Equal(ErrorCode.MessageTooLarge, asyncEx.Error);
        Assert.Equal(0, producer.QueueLength);
    }

    [Fact]
    public async Task A_topic_that_does_not_exist_fails_its_delivery_after_the_propagation_timeout()
    {
        await using var kafka = new IdempotentFakeKafka("exists", 1);
        var config = new ProducerConfig { BootstrapServers = kafka.BootstrapServers, TopicMetadataPropagationMax = TimeSpan.FromMilliseconds(800) };
        await using var producer = new Producer<string, string>(config);
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<ProduceException<string, string>>(async () =>
            await producer.ProduceAsync("missing", new Message<string, string> { Value = "v" }));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, ex.Error);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
        Assert.Equal(PersistenceStatus.NotPersisted, ex.DeliveryResult.Status);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_partition_that_does_not_exist_is_rejected()
    {
        await using var kafka = new IdempotentFakeKafka("t", 2);
        await using var producer = new Producer<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers });
        await producer.ProduceAsync("t", new Message<string, string> { Value = "warm" });
        var ex = Assert.Throws<KafkaException>(() => producer.Produce(new TopicPartition("t", 5), new Message<string, string> { Value = "v" }));
        Assert.Equal(ErrorCode.LocalUnknownPartition, ex.Error);
        Assert.Throws<ArgumentOutOfRangeException>(() => producer.Produce(new TopicPartition("t", -7), new Message<string, string> { Value = "v" }));
        Assert.Throws<ArgumentException>(() => producer.Produce("", new Message<string, string> { Value = "v" }));
    }

    [Fact]
    public async Task A_disposed_producer_refuses_new_messages_and_dispose_twice_is_harmless()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        var producer = new Producer<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers });
        await producer.ProduceAsync("t", new Message<string, string> { Value = "v" });
        await producer.DisposeAsync();
        await producer.DisposeAsync();
        producer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => producer.Produce("t", new Message<string, string> { Value = "v" }));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await producer.ProduceAsync("t", new Message<string, string> { Value = "v" }));
    }

    [Fact]
    public async Task A_full_queue_fails_produce_at_once_and_makes_produce_async_wait()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        kafka.Faults = _ => ProduceFault.Silence;
        var config = new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            QueueBufferingMaxMessages = 10,
            RequestTimeout = TimeSpan.FromSeconds(1),
            DeliveryTimeout = TimeSpan.FromSeconds(2),
            Linger = TimeSpan.FromMilliseconds(1),
        };
        await using var producer = new Producer<string, string>(config);
        for (int i = 0; i < 10; i++)
        {
            producer.Produce("t", new Message<string, string> { Value = "v" + i });
        }

        var full = Assert.Throws<KafkaException>(() => producer.Produce("t", new Message<string, string> { Value = "over" }));
        Assert.Equal(ErrorCode.LocalQueueFull, full.Error);
        Assert.Contains("queue.buffering.max.messages", full.Message, StringComparison.Ordinal);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await producer.ProduceAsync("t", new Message<string, string> { Value = "waits" }, cts.Token));
    }

    [Fact]
    public async Task A_negative_flush_timeout_is_rejected()
    {
        await using var kafka = new IdempotentFakeKafka("t", 1);
        await using var producer = new Producer<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers });
        Assert.Throws<ArgumentOutOfRangeException>(() => producer.Flush(TimeSpan.FromSeconds(-2)));
    }
}
