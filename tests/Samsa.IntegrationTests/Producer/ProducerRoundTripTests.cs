using System.Diagnostics;
using System.Text;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Producer;

[Collection(ClusterCollection.Name)]
public sealed class ProducerRoundTripTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_million_keyed_messages_over_256_partitions_are_all_in_the_log_once_and_in_order()
    {
        const int partitions = 256;
        const int count = 1_000_000;
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions);
        var verification = new ProduceVerification();
        var watch = Stopwatch.StartNew();
        await using (var producer = new Producer<byte[], byte[]>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }))
        {
            byte[][] keys = Enumerable.Range(0, 10_000).Select(i => Encoding.UTF8.GetBytes("key-" + i)).ToArray();
            for (int i = 0; i < count; i++)
            {
                var message = new Message<byte[], byte[]> { Key = keys[i % keys.Length], Value = ProduceVerification.Value(i, 60) };
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, message, verification, i);
                        break;
                    }
                    catch (KafkaException ex) when (ex.Error == ErrorCode.LocalQueueFull)
                    {
                        await Task.Delay(1);
                    }
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
        }

        output.WriteLine($"Produced {count} messages in {watch.Elapsed.TotalSeconds:F1} s ({count / watch.Elapsed.TotalSeconds:F0} msg/s).");
        List<LoggedRecord> log = TopicReader.ReadAll(fixture.BootstrapServers, topic, partitions, TimeSpan.FromMinutes(2));
        verification.Verify(log, count, allMustBeDelivered: true);
        Assert.Equal(count, log.Count);
    }

    [SkippableFact]
    public async Task Keys_land_on_the_same_partitions_as_with_librdkafka_murmur2_random()
    {
        Librdkafka.LoadForConfluentKafka();
        const int partitions = 37;
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions);
        string[] keys = Enumerable.Range(0, 500).Select(i => $"user-{i * 7919}-{(char)('a' + (i % 26))}").Append("").ToArray();

        var theirs = new Dictionary<string, int>();
        var config = new Confluent.Kafka.ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            Partitioner = Confluent.Kafka.Partitioner.Murmur2Random,
        };
        using (var confluent = new Confluent.Kafka.ProducerBuilder<string, string>(config).Build())
        {
            foreach (string key in keys)
            {
                var result = await confluent.ProduceAsync(topic, new Confluent.Kafka.Message<string, string> { Key = key, Value = "x" });
                theirs[key] = result.Partition.Value;
            }
        }

        await using var producer = new Producer<string, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers });
        foreach (string key in keys)
        {
            DeliveryResult<string, string> result = await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = "y" });
            Assert.True(theirs[key] == result.Partition, $"key '{key}': librdkafka chose {theirs[key]}, Samsa {result.Partition}");
        }
    }

    [SkippableFact]
    public async Task Headers_timestamps_and_null_values_arrive_as_sent()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        var headers = new Headers { { "trace", "abc" }, { "empty", Array.Empty<byte>() }, { "none", (byte[]?)null } };
        var timestamp = new Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        await using (var producer = new Producer<string?, string?>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }))
        {
            await producer.ProduceAsync(topic, new Message<string?, string?> { Key = "k", Value = "v", Headers = headers, Timestamp = timestamp });
            DeliveryResult<string?, string?> tombstone = await producer.ProduceAsync(topic, new Message<string?, string?> { Key = "k", Value = null });
            Assert.Equal(1, tombstone.Offset.Value);
        }

        Librdkafka.LoadForConfluentKafka();
        using var consumer = new Confluent.Kafka.ConsumerBuilder<string, string>(new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = "h",
        }).Build();
        consumer.Assign(new Confluent.Kafka.TopicPartitionOffset(topic, 0, Confluent.Kafka.Offset.Beginning));
        var first = consumer.Consume(TimeSpan.FromSeconds(10))!;
        Assert.Equal("v", first.Message.Value);
        Assert.Equal(1_700_000_000_123, first.Message.Timestamp.UnixTimestampMs);
        Assert.Equal(Confluent.Kafka.TimestampType.CreateTime, first.Message.Timestamp.Type);
        Assert.Equal(3, first.Message.Headers.Count);
        Assert.Equal("abc", Encoding.UTF8.GetString(first.Message.Headers.GetLastBytes("trace")));
        Assert.Empty(first.Message.Headers.GetLastBytes("empty"));
        Assert.Null(first.Message.Headers.GetLastBytes("none"));
        var second = consumer.Consume(TimeSpan.FromSeconds(10))!;
        Assert.Null(second.Message.Value);
        Assert.Equal("k", second.Message.Key);
    }
}
