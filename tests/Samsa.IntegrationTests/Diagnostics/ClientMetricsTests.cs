using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using static Samsa.IntegrationTests.Consumer.ConsumerIntegrationKit;

namespace Samsa.IntegrationTests.Diagnostics;

/// <summary>The System.Diagnostics.Metrics instruments of a producer and a consumer, read with a MeterListener.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClientMetricsTests(ClusterFixture fixture)
{
    [SkippableFact]
    public async Task Producer_and_consumer_meters_count_what_they_did()
    {
        string topic = UniqueNames.Topic();
        string clientId = "metrics-" + Guid.NewGuid().ToString("N");
        const int partitions = 4;
        const int count = 2000;
        await fixture.CreateTopicAsync(topic, partitions);

        var totals = new ConcurrentDictionary<string, long>();
        long queueGauge = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Samsa" && HasTag(instrument.Meter, "client.id", clientId))
            {
                l.EnableMeasurementEvents(instrument, HasTag(instrument.Meter, "client.type", "producer") ? "producer" : "consumer");
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, state) =>
        {
            if (instrument.Name == "samsa.producer.queue.messages")
            {
                Interlocked.Exchange(ref queueGauge, value);
                return;
            }

            totals.AddOrUpdate($"{state}:{instrument.Name}", value, (_, old) => old + value);
        });
        listener.Start();

        await using (var producer = new Producer<Null?, byte[]>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers, ClientId = clientId }))
        {
            for (int i = 0; i < count; i++)
            {
                producer.Produce(new TopicPartition(topic, i % partitions), new Message<Null?, byte[]> { Value = new byte[100] });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
            listener.RecordObservableInstruments();
            Assert.Equal(0, Interlocked.Read(ref queueGauge));
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null?, byte[]> { Value = new byte[100] });
        }

        using (var consumer = new Consumer<Null?, byte[]>(Config(fixture) with { ClientId = clientId }))
        {
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            int received = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (received < count + 1 && DateTime.UtcNow < deadline)
            {
                if (consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.FromMilliseconds(200)))
                {
                    Assert.Equal(topic, r.Topic);
                    received++;
                }
            }

            Assert.Equal(count + 1, received);
        }

        Assert.Equal(count + 1, Total("producer:samsa.producer.records.delivered"));
        Assert.Equal(0, Total("producer:samsa.producer.records.failed"));
        Assert.True(Total("producer:samsa.connections.opened") >= 1);
        Assert.True(Total("producer:samsa.requests.sent") >= 2); // at least metadata and one produce request
        Assert.True(Total("producer:samsa.network.bytes.sent") > count * 100, "the payload went out");
        Assert.True(Total("producer:samsa.network.bytes.received") > 0);
        Assert.True(Total("consumer:samsa.consumer.records.fetched") >= count + 1);
        Assert.True(Total("consumer:samsa.consumer.bytes.fetched") > count * 100);
        Assert.True(Total("consumer:samsa.network.bytes.received") > count * 100);
        Assert.Equal(0, Total("consumer:samsa.producer.records.delivered"));

        long Total(string key) => totals.TryGetValue(key, out long v) ? v : 0;
    }

    private static bool HasTag(Meter meter, string name, string value)
    {
        if (meter.Tags is null)
        {
            return false;
        }

        foreach (KeyValuePair<string, object?> tag in meter.Tags)
        {
            if (tag.Key == name && value.Equals(tag.Value as string, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
