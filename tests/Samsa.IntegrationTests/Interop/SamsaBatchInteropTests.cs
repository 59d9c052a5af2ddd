using System.Text;
using System.Text.Json;
using Samsa.Compression;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Protocol.Records;
using Samsa.TestSupport;
using CK = Confluent.Kafka;

namespace Samsa.IntegrationTests.Interop;

/// <summary>
/// The reverse of the golden batch tests: record batches Samsa's producer writes with each codec are read back
/// exactly by kcat (librdkafka 2.0.2) and by Confluent.Kafka (librdkafka 2.16.0). The proxy also shows that
/// Samsa really compressed each batch with the codec asked for.
/// </summary>
[Collection(ProxiedClusterCollection.Name)]
public sealed class SamsaBatchInteropTests(ProxiedClusterFixture fixture)
{
    public static TheoryData<string> Codecs() => new(GoldenScenarios.Codecs);

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Kcat_reads_exactly_what_Samsa_produced(string codec)
    {
        string topic = UniqueNames.Make("samsa-kcat-" + codec, "interop");
        await ProduceRichWithSamsaAsync(topic, codec);

        KcatResult result = await Kcat.RunCheckedAsync(
            ["-C", "-b", fixture.BootstrapServers, "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q", "-J"], timeout: TimeSpan.FromSeconds(30));
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<GoldenMessage> expected = GoldenMessages.Rich;
        Assert.True(lines.Length == expected.Count, $"kcat printed {lines.Length} messages, {expected.Count} expected:\n{result.StandardOutput}\n{result.StandardError}");
        for (int i = 0; i < expected.Count; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(lines[i]);
            JsonElement m = doc.RootElement;
            string what = $"{codec} message {i}";
            Assert.Equal(i, m.GetProperty("offset").GetInt64());
            Assert.Equal("create", m.GetProperty("tstype").GetString());
            Assert.True(expected[i].Timestamp == m.GetProperty("ts").GetInt64(), $"{what}: ts {m.GetProperty("ts")}");
            AssertText(expected[i].Key, m.GetProperty("key"), what + " key");
            AssertText(expected[i].Value, m.GetProperty("payload"), what + " payload");
            // kcat lists headers flat: name, value, name, value... and leaves "headers" out when there are none.
            List<JsonElement> flat = m.TryGetProperty("headers", out JsonElement h) ? [.. h.EnumerateArray()] : [];
            Assert.True(flat.Count == 2 * expected[i].Headers.Count, $"{what}: headers {h}");
            for (int j = 0; j < expected[i].Headers.Count; j++)
            {
                Assert.Equal(expected[i].Headers[j].Key, flat[2 * j].GetString());
                AssertText(expected[i].Headers[j].Value, flat[(2 * j) + 1], $"{what} header {j}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Confluent_kafka_reads_exactly_what_Samsa_produced(string codec)
    {
        string topic = UniqueNames.Make("samsa-ck-" + codec, "interop");
        await ProduceRichWithSamsaAsync(topic, codec);

        Librdkafka.LoadForConfluentKafka();
        var config = new CK.ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = "unused",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        };
        using CK.IConsumer<byte[]?, byte[]?> consumer = new CK.ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(new CK.TopicPartitionOffset(topic, 0, CK.Offset.Beginning));
        var received = new List<CK.ConsumeResult<byte[]?, byte[]?>>();
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            CK.ConsumeResult<byte[]?, byte[]?>? r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                break;
            }

            received.Add(r);
        }

        consumer.Close();
        IReadOnlyList<GoldenMessage> expected = GoldenMessages.Rich;
        Assert.Equal(expected.Count, received.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            CK.Message<byte[]?, byte[]?> m = received[i].Message;
            string what = $"{codec} message {i}";
            Assert.Equal(i, received[i].Offset.Value);
            Assert.Equal(CK.TimestampType.CreateTime, m.Timestamp.Type);
            Assert.Equal(expected[i].Timestamp, m.Timestamp.UnixTimestampMs);
            AssertBytes(expected[i].Key, m.Key, what + " key");
            AssertBytes(expected[i].Value, m.Value, what + " value");
            Assert.Equal(expected[i].Headers.Count, m.Headers.Count);
            for (int j = 0; j < expected[i].Headers.Count; j++)
            {
                Assert.Equal(expected[i].Headers[j].Key, m.Headers[j].Key);
                AssertBytes(expected[i].Headers[j].Value, m.Headers[j].GetValueBytes(), $"{what} header {j}");
            }
        }
    }

    /// <summary>
    /// Produces <see cref="GoldenMessages.Rich"/> to partition 0 with Samsa (acks=all, idempotent, one batch),
    /// and checks in the proxy's frames that the batch went out with the codec's id.
    /// </summary>
    internal static async Task ProduceRichWithSamsaAsync(ProxiedClusterFixture fixture, string topic, string codec, string clientId = "samsa-interop")
    {
        await fixture.Cluster.CreateTopicAsync(topic, 1);
        var config = new ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            ClientId = clientId,
            CompressionType = CompressionTypes.Parse(codec),
            Linger = TimeSpan.FromMilliseconds(200), // all six messages in one batch
        };
        await using (var producer = new Producer<byte[]?, byte[]?>(config, Serializers.ByteArray, Serializers.ByteArray))
        {
            var deliveries = new List<ValueTask<DeliveryResult<byte[]?, byte[]?>>>();
            foreach (GoldenMessage m in GoldenMessages.Rich)
            {
                var headers = new Headers();
                foreach ((string key, byte[]? value) in m.Headers)
                {
                    headers.Add(key, value);
                }

                deliveries.Add(producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[]?, byte[]?>
                {
                    Key = m.Key,
                    Value = m.Value,
                    Headers = headers,
                    Timestamp = new Timestamp(m.Timestamp, TimestampType.CreateTime),
                }));
            }

            foreach (ValueTask<DeliveryResult<byte[]?, byte[]?>> d in deliveries)
            {
                Assert.Equal(PersistenceStatus.Persisted, (await d).Status);
            }
        }

        int batches = 0;
        foreach (CapturedFrame frame in fixture.Proxy.Frames)
        {
            if (frame.Direction != FrameDirection.Request || frame.ApiKey != ApiKey.Produce)
            {
                continue;
            }

            var reader = new ProtocolReader(frame.Frame);
            _ = Samsa.Protocol.Messages.RequestHeader.Read(ref reader, frame.HeaderVersion);
            var request = ProduceRequest.Read(ref reader, frame.Version);
            foreach (ProduceRequest.TopicProduceData t in request.TopicData)
            {
                foreach (ProduceRequest.PartitionProduceData p in t.PartitionData)
                {
                    if (t.Name != topic || p.Records is not { } records)
                    {
                        continue;
                    }

                    foreach (RecordBatch batch in new RecordBatchReader(records))
                    {
                        batches++;
                        Assert.Equal(CompressionTypes.Parse(codec), (CompressionType)batch.Header.CompressionCodecId);
                    }
                }
            }
        }

        Assert.True(batches > 0, $"the proxy saw no Produce request for {topic}");
    }

    private Task ProduceRichWithSamsaAsync(string topic, string codec) => ProduceRichWithSamsaAsync(fixture, topic, codec);

    private static void AssertText(byte[]? expected, JsonElement actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual.ValueKind == JsonValueKind.Null, $"{what}: {actual}, null expected");
            return;
        }

        Assert.True(actual.ValueKind == JsonValueKind.String, $"{what}: {actual}, a string expected");
        Assert.Equal(Encoding.UTF8.GetString(expected), actual.GetString());
    }

    private static void AssertBytes(byte[]? expected, byte[]? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: {(actual is null ? "null" : Convert.ToHexStringLower(actual))}, {(expected is null ? "null" : Convert.ToHexStringLower(expected))} expected");
            return;
        }

        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(actual));
    }
}
