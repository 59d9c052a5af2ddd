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
        var producerConfig = new Confluent.Kafka.ProducerConfig { BootstrapServers = kafka.BootstrapServers, AllowAutoCreateTopics = true };
        using (Confluent.Kafka.IProducer<Null, string> producer = new Confluent.Kafka.ProducerBuilder<Null, string>(producerConfig).Build())
        {
            Confluent.Kafka.DeliveryResult<Null, string> result = await producer.ProduceAsync(topic, new Confluent.Kafka.Message<Null, string> { Value = "hello" });
            Assert.Equal(Confluent.Kafka.PersistenceStatus.Persisted, result.Status);
        }

        var consumerConfig = new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = UniqueNames.Group(),
            AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
        };
        using Confluent.Kafka.IConsumer<Null, string> consumer = new Confluent.Kafka.ConsumerBuilder<Null, string>(consumerConfig).Build();
        consumer.Subscribe(topic);
        Confluent.Kafka.ConsumeResult<Null, string>? r = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.NotNull(r);
        Assert.Equal("hello", r.Message.Value);
    }
}
