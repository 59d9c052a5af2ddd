using System.Buffers.Binary;
using System.Diagnostics;
using Samsa.TestSupport;
using CK = Confluent.Kafka;

namespace Samsa.IntegrationTests.Consumer;

/// <summary>Producing test data with Samsa's producer and consuming helpers for the consumer integration tests.</summary>
internal static class ConsumerIntegrationKit
{
    public static ConsumerConfig Config(ClusterFixture fixture, string? groupId = null) => new()
    {
        BootstrapServers = fixture.BootstrapServers,
        GroupId = groupId,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        FetchWaitMax = TimeSpan.FromMilliseconds(100),
        RetryBackoff = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>
    /// Produces <paramref name="perPartition"/> messages to each of <paramref name="partitions"/> partitions; each
    /// value is the partition (int32) then the message's sequence number in it (int32), then padding.
    /// </summary>
    public static async Task ProduceAsync(ClusterFixture fixture, string topic, int partitions, int perPartition, int valueSize = 16)
    {
        var config = new ProducerConfig { BootstrapServers = fixture.BootstrapServers, Linger = TimeSpan.FromMilliseconds(5) };
        await using var producer = new Producer<Null?, byte[]>(config);
        int failed = 0;
        string? firstError = null;
        for (int seq = 0; seq < perPartition; seq++)
        {
            for (int p = 0; p < partitions; p++)
            {
                byte[] value = new byte[Math.Max(8, valueSize)];
                BinaryPrimitives.WriteInt32BigEndian(value, p);
                BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(4), seq);
                producer.Produce(new TopicPartition(topic, p), new Message<Null?, byte[]> { Value = value }, report =>
                {
                    if (report.IsError)
                    {
                        Interlocked.Increment(ref failed);
                        firstError ??= report.ErrorMessage;
                    }
                });
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        Assert.True(failed == 0, $"{failed} messages failed: {firstError}");
    }

    /// <summary>Produces like <see cref="ProduceAsync"/>, but with librdkafka (Confluent.Kafka): faster for bulk test data.</summary>
    public static void ProduceWithLibrdkafka(ClusterFixture fixture, string topic, int partitions, int perPartition, int valueSize = 16)
    {
        Librdkafka.LoadForConfluentKafka();
        var config = new CK.ProducerConfig { BootstrapServers = fixture.BootstrapServers, LingerMs = 5, Acks = CK.Acks.All };
        using CK.IProducer<CK.Null, byte[]> producer = new CK.ProducerBuilder<CK.Null, byte[]>(config).Build();
        int failed = 0;
        string? firstError = null;
        for (int seq = 0; seq < perPartition; seq++)
        {
            for (int p = 0; p < partitions; p++)
            {
                byte[] value = new byte[Math.Max(8, valueSize)];
                BinaryPrimitives.WriteInt32BigEndian(value, p);
                BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(4), seq);
                while (true)
                {
                    try
                    {
                        producer.Produce(new CK.TopicPartition(topic, p), new CK.Message<CK.Null, byte[]> { Value = value }, report =>
                        {
                            if (report.Error.IsError)
                            {
                                Interlocked.Increment(ref failed);
                                firstError ??= report.Error.Reason;
                            }
                        });
                        break;
                    }
                    catch (CK.ProduceException<CK.Null, byte[]> ex) when (ex.Error.Code == CK.ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        Assert.True(failed == 0, $"{failed} messages failed: {firstError}");
    }

    /// <summary>Consumes until <paramref name="count"/> messages (EOF events excluded) arrived or the timeout passed.</summary>
    public static List<ConsumeResult<Null?, byte[]>> Consume(IConsumer<Null?, byte[]> consumer, int count, TimeSpan? timeout = null)
    {
        var results = new List<ConsumeResult<Null?, byte[]>>(count);
        var watch = Stopwatch.StartNew();
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(10);
        while (results.Count < count && watch.Elapsed < limit)
        {
            ConsumeResult<Null?, byte[]>? r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not null && !r.IsPartitionEOF)
            {
                results.Add(r);
            }
        }

        return results;
    }

    public static int Sequence(ConsumeResult<Null?, byte[]> r) => BinaryPrimitives.ReadInt32BigEndian(r.Message.Value.AsSpan(4));

    public static List<int> Sequences(IEnumerable<ConsumeResult<Null?, byte[]>> results) => [.. results.Select(Sequence)];
}
