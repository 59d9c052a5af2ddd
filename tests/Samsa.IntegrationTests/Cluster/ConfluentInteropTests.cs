using Confluent.Kafka;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Cluster;

/// <summary>A real client (librdkafka through Confluent.Kafka) produces and consumes through the mock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConfluentInteropTests(ClusterFixture fixture)
{
    [SkippableFact]
    public async Task Confluent_produces_and_a_group_consumer_reads_the_messages_back()
    {
        Librdkafka.LoadForConfluentKafka();
        string topic = UniqueNames.Topic();
        string group = UniqueNames.Group();
        await fixture.CreateTopicAsync(topic, partitions: 3, replicationFactor: 3);
        if (fixture.SupportsFaultInjection)
        {
            await fixture.Cluster.SetRebalanceDelayAsync(0); // the mock's 3 s default would dominate the test
        }

        var producerConfig = new Confluent.Kafka.ProducerConfig { BootstrapServers = fixture.BootstrapServers, Acks = Confluent.Kafka.Acks.All, LingerMs = 0 };
        using (Confluent.Kafka.IProducer<string, string> producer = new Confluent.Kafka.ProducerBuilder<string, string>(producerConfig).Build())
        {
            for (int i = 0; i < 6; i++)
            {
                Confluent.Kafka.DeliveryResult<string, string> result = await producer.ProduceAsync(
                    topic, new Confluent.Kafka.Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
                Assert.Equal(Confluent.Kafka.PersistenceStatus.Persisted, result.Status);
            }
        }

        var consumerConfig = new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = group,
            AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        using Confluent.Kafka.IConsumer<string, string> consumer = new Confluent.Kafka.ConsumerBuilder<string, string>(consumerConfig).Build();
        consumer.Subscribe(topic);
        var received = new Dictionary<string, string>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (received.Count < 6 && DateTime.UtcNow < deadline)
        {
            Confluent.Kafka.ConsumeResult<string, string>? r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is not null && !r.IsPartitionEOF)
            {
                received[r.Message.Key] = r.Message.Value;
            }
        }

        consumer.Commit(); // exercises OffsetCommit against the mock's group coordinator
        consumer.Close(); // LeaveGroup at the capped version

        Assert.Equal(Enumerable.Range(0, 6).ToDictionary(i => $"k{i}", i => $"v{i}"), received);
    }
}
