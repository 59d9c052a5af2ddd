using System.Buffers.Binary;
using System.Diagnostics;
using Samsa.Cluster;
using Samsa.IntegrationTests.Cluster;
using Samsa.Network;
using Samsa.Producer;
using Samsa.TestSupport;
using CK = Confluent.Kafka;

namespace Samsa.IntegrationTests.Producer;

[Collection(ClusterCollection.Name)]
public sealed class ProducerSmokeTests(ClusterFixture fixture)
{
    [SkippableFact]
    public async Task Produces_keyed_messages_that_librdkafka_reads_back_in_order()
    {
        string topic = UniqueNames.Topic();
        const int partitions = 16;
        const int count = 100_000;
        await fixture.CreateTopicAsync(topic, partitions);
        var settings = new ProducerSettings();
        var cluster = new ClusterOptions { BootstrapServers = BrokerAddress.ParseList(fixture.BootstrapServers) };
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();
        await using (var producer = new Producer<string, byte[]>(settings, cluster, null, null, new ConsoleTestLoggerFactory(Microsoft.Extensions.Logging.LogLevel.Information), "smoke", TimeSpan.FromSeconds(30)))
        {
            var handler = new CountingHandler();
            byte[] value = new byte[100];
            for (int i = 0; i < count; i++)
            {
                byte[] v = new byte[100];
                BinaryPrimitives.WriteInt32BigEndian(v, i);
                producer.Produce(topic, new Message<string, byte[]> { Key = "key-" + (i % 1000), Value = v }, handler);
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
            Assert.True(handler.Delivered == count, $"delivered {handler.Delivered}, failed {handler.Failed}: {handler.FirstError}");
            Assert.Equal(0, handler.Failed);
        }

        double seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"produced {count} in {seconds:F2}s = {count / seconds:F0} msg/s");

        Librdkafka.LoadForConfluentKafka();
        var config = new CK.ConsumerConfig { BootstrapServers = fixture.BootstrapServers, GroupId = "smoke", EnableAutoCommit = false, EnablePartitionEof = true };
        using var consumer = new CK.ConsumerBuilder<string, byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new CK.TopicPartitionOffset(topic, p, CK.Offset.Beginning)));
        var lastPerKey = new Dictionary<string, int>();
        int received = 0;
        int eofs = 0;
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (eofs < partitions && DateTime.UtcNow < deadline)
        {
            CK.ConsumeResult<string, byte[]>? r = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                eofs++;
                continue;
            }

            int seq = BinaryPrimitives.ReadInt32BigEndian(r.Message.Value);
            if (lastPerKey.TryGetValue(r.Message.Key, out int last))
            {
                Assert.True(seq > last, $"key {r.Message.Key}: {seq} after {last}");
            }

            lastPerKey[r.Message.Key] = seq;
            received++;
        }

        Assert.Equal(count, received);
        Assert.Empty(failures);
    }

    private sealed class CountingHandler : IDeliveryHandler
    {
        public int Delivered;
        public int Failed;
        public string? FirstError;

        public void OnDelivery(in DeliveryEvent delivery, object? state)
        {
            if (delivery.IsError)
            {
                Interlocked.Increment(ref Failed);
                FirstError ??= delivery.Error + " " + delivery.ErrorMessage;
            }
            else
            {
                Interlocked.Increment(ref Delivered);
            }
        }
    }
}
