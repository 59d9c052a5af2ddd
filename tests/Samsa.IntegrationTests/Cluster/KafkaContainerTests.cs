using Confluent.Kafka;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Cluster;

/// <summary>A real broker in Docker (skipped, with the reason, where no Docker engine answers).</summary>
public sealed class KafkaContainerTests(KafkaContainerFixture kafka) : IClassFixture<KafkaContainerFixture>
{
    [DockerFact]
    public async Task Confluent_round_trips_a_message_through_a_real_broker()
    {
        Librdkafka.LoadForConfluentKafka();
        string topic = UniqueNames.Topic();
        var producerConfig = new ProducerConfig { BootstrapServers = kafka.BootstrapServers, AllowAutoCreateTopics = true };
        using (IProducer<Null, string> producer = new ProducerBuilder<Null, string>(producerConfig).Build())
        {
            DeliveryResult<Null, string> result = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "hello" });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }

        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = UniqueNames.Group(),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using IConsumer<Null, string> consumer = new ConsumerBuilder<Null, string>(consumerConfig).Build();
        consumer.Subscribe(topic);
        ConsumeResult<Null, string>? r = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.NotNull(r);
        Assert.Equal("hello", r.Message.Value);
    }
}
