using System.Text;
using Samsa.TestSupport;
using CK = Confluent.Kafka;

namespace Samsa.IntegrationTests.Interop;

/// <summary>What librdkafka's clients do in the golden captures and the interop tests.</summary>
internal static class GoldenScenarios
{
    /// <summary>The codecs, by their librdkafka/kcat names.</summary>
    public static readonly string[] Codecs = ["none", "gzip", "snappy", "lz4", "zstd"];

    public static CK.CompressionType ConfluentCodec(string codec) => codec switch
    {
        "none" => CK.CompressionType.None,
        "gzip" => CK.CompressionType.Gzip,
        "snappy" => CK.CompressionType.Snappy,
        "lz4" => CK.CompressionType.Lz4,
        "zstd" => CK.CompressionType.Zstd,
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "unknown codec"),
    };

    /// <summary>Produces <see cref="GoldenMessages.Rich"/> to partition 0 in one batch (idempotent, acks=all).</summary>
    public static async Task ConfluentProduceAsync(string bootstrap, string topic, string codec)
    {
        Librdkafka.LoadForConfluentKafka();
        var config = new CK.ProducerConfig
        {
            BootstrapServers = bootstrap,
            ClientId = "golden-confluent",
            Acks = CK.Acks.All,
            EnableIdempotence = true,
            CompressionType = ConfluentCodec(codec),
            LingerMs = 200, // all six messages in one batch
        };
        using CK.IProducer<byte[]?, byte[]?> producer = new CK.ProducerBuilder<byte[]?, byte[]?>(config).Build();
        var deliveries = new List<Task<CK.DeliveryResult<byte[]?, byte[]?>>>();
        foreach (GoldenMessage m in GoldenMessages.Rich)
        {
            var headers = new CK.Headers();
            foreach ((string key, byte[]? value) in m.Headers)
            {
                headers.Add(key, value);
            }

            deliveries.Add(producer.ProduceAsync(new CK.TopicPartition(topic, 0), new CK.Message<byte[]?, byte[]?>
            {
                Key = m.Key,
                Value = m.Value,
                Headers = headers,
                Timestamp = new CK.Timestamp(m.Timestamp, CK.TimestampType.CreateTime),
            }));
        }

        foreach (var d in deliveries)
        {
            CK.DeliveryResult<byte[]?, byte[]?> r = await d;
            if (r.Status != CK.PersistenceStatus.Persisted)
            {
                throw new InvalidOperationException($"Confluent.Kafka could not produce to {topic}: {r.Status}");
            }
        }
    }

    /// <summary>kcat -P of <see cref="GoldenMessages.KcatLines"/> to partition 0 (idempotent, acks=all).</summary>
    public static Task KcatProduceAsync(string bootstrap, string topic, string codec)
    {
        var args = new List<string> { "-P", "-b", bootstrap, "-t", topic, "-p", "0", "-K", "\t", "-z", codec,
            "-X", "enable.idempotence=true", "-X", "acks=all", "-X", "linger.ms=200" };
        foreach ((string key, string value) in GoldenMessages.KcatHeaders)
        {
            args.Add("-H");
            args.Add(key + "=" + value);
        }

        var stdin = new StringBuilder();
        foreach ((string key, string value) in GoldenMessages.KcatLines)
        {
            stdin.Append(key).Append('\t').Append(value).Append('\n');
        }

        return Kcat.RunCheckedAsync(args, stdin.ToString(), TimeSpan.FromSeconds(30));
    }

    /// <summary>An assigned consumer (no group) reading partition 0 from the start to its end.</summary>
    public static Task ConfluentAssignConsumeAsync(string bootstrap, string topic, int expected)
    {
        var config = new CK.ConsumerConfig
        {
            BootstrapServers = bootstrap,
            ClientId = "golden-confluent",
            GroupId = "golden-unused", // required by the API; Assign never joins it
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        };
        using CK.IConsumer<byte[]?, byte[]?> consumer = new CK.ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(new CK.TopicPartitionOffset(topic, 0, CK.Offset.Beginning));
        ReadUntil(consumer, expected, endAtEof: true);
        consumer.Close();
        return Task.CompletedTask;
    }

    /// <summary>A group consumer: subscribe, read <paramref name="expected"/> messages, commit, heartbeat a while, close.</summary>
    public static async Task ConfluentGroupConsumeAsync(string bootstrap, string topic, string group, int expected, bool kip848)
    {
        var config = new CK.ConsumerConfig
        {
            BootstrapServers = bootstrap,
            ClientId = "golden-confluent",
            GroupId = group,
            AutoOffsetReset = CK.AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        if (kip848)
        {
            config.GroupProtocol = CK.GroupProtocol.Consumer;
        }
        else
        {
            config.HeartbeatIntervalMs = 300;
            config.SessionTimeoutMs = 6000;
        }

        using CK.IConsumer<byte[]?, byte[]?> consumer = new CK.ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Subscribe(topic);
        ReadUntil(consumer, expected, endAtEof: false);
        consumer.Commit();
        DateTime until = DateTime.UtcNow.AddSeconds(1.5);
        while (DateTime.UtcNow < until)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100)); // keeps heartbeating
        }

        consumer.Committed(TimeSpan.FromSeconds(10)); // OffsetFetch
        consumer.Close();
        await Task.CompletedTask;
    }

    /// <summary>Admin metadata for all topics and one topic, then watermarks (ListOffsets) of each partition.</summary>
    public static Task ConfluentMetadataAndWatermarksAsync(string bootstrap, string topic)
    {
        using (CK.IAdminClient admin = new CK.AdminClientBuilder(new CK.AdminClientConfig { BootstrapServers = bootstrap, ClientId = "golden-confluent" }).Build())
        {
            CK.Metadata all = admin.GetMetadata(TimeSpan.FromSeconds(10));
            if (!all.Topics.Exists(t => t.Topic == topic))
            {
                throw new InvalidOperationException($"metadata lacks {topic}");
            }

            admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        }

        var config = new CK.ConsumerConfig { BootstrapServers = bootstrap, ClientId = "golden-confluent", GroupId = "golden-unused" };
        using CK.IConsumer<byte[]?, byte[]?> consumer = new CK.ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        for (int p = 0; p < 3; p++)
        {
            consumer.QueryWatermarkOffsets(new CK.TopicPartition(topic, p), TimeSpan.FromSeconds(10));
        }

        consumer.Close();
        return Task.CompletedTask;
    }

    private static void ReadUntil(CK.IConsumer<byte[]?, byte[]?> consumer, int expected, bool endAtEof)
    {
        int received = 0;
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
                if (endAtEof && received >= expected)
                {
                    return;
                }

                continue;
            }

            received++;
            if (!endAtEof && received >= expected)
            {
                return;
            }
        }

        throw new TimeoutException($"read {received} of {expected} messages");
    }
}
