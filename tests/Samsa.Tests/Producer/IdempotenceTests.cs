using System.Buffers.Binary;
using System.Collections.Concurrent;
using Samsa.Protocol.Messages;

namespace Samsa.Tests.Producer;

/// <summary>
/// The idempotent producer against a broker that enforces sequences: lost responses, pipelined failures,
/// lost producer state and expired batches never cost a message, a duplicate or the order of a partition.
/// </summary>
public sealed class IdempotenceTests
{
    private const string Topic = "idem";

    private static ProducerConfig Config(IdempotentFakeKafka kafka) => new()
    {
        BootstrapServers = kafka.BootstrapServers,
        Linger = TimeSpan.FromMilliseconds(1),
        BatchNumMessages = 50,
        RetryBackoff = TimeSpan.FromMilliseconds(5),
        RetryBackoffMax = TimeSpan.FromMilliseconds(50),
        ReconnectBackoff = TimeSpan.FromMilliseconds(5),
        ReconnectBackoffMax = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(2),
    };

    private static async Task<Reports> ProduceAsync(IdempotentFakeKafka kafka, int count, int partitions, ProducerConfig config, int pauseEvery = 200)
    {
        var reports = new Reports();
        await using (var producer = new Producer<byte[], byte[]>(config))
        {
            for (int i = 0; i < count; i++)
            {
                byte[] value = new byte[8];
                BinaryPrimitives.WriteInt32BigEndian(value, i);
                producer.Produce(new TopicPartition(Topic, i % partitions), new Message<byte[], byte[]> { Value = value }, reports, i);
                if (i % pauseEvery == pauseEvery - 1)
                {
                    await Task.Delay(2); // several batches per partition in flight at once
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        return reports;
    }

    private static void AssertExactlyOnceInOrder(IdempotentFakeKafka kafka, int count, int partitions, Reports reports)
    {
        Assert.Empty(reports.Failed);
        Assert.Equal(count, reports.Delivered.Count);
        for (int p = 0; p < partitions; p++)
        {
            List<int> values = kafka.Values(p);
            int[] expected = Enumerable.Range(0, count).Where(i => i % partitions == p).ToArray();
            Assert.True(expected.SequenceEqual(values), $"partition {p} holds, in offset order: {Runs(values, partitions)}");
            for (int offset = 0; offset < values.Count; offset++)
            {
                Assert.Equal((p, (long)offset), reports.Delivered[values[offset]]);
            }
        }
    }

    /// <summary>The values as runs of consecutive ones ("0..98, 200..298, 100..198"), to show where order broke.</summary>
    private static string Runs(List<int> values, int step)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < values.Count;)
        {
            int j = i;
            while (j + 1 < values.Count && values[j + 1] == values[j] + step)
            {
                j++;
            }

            sb.Append(sb.Length > 0 ? ", " : string.Empty).Append(values[i]).Append(j > i ? $"..{values[j]}" : string.Empty);
            i = j + 1;
        }

        return sb.ToString();
    }

    [Fact]
    public async Task Lost_responses_are_retried_without_duplicates()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 3);
        kafka.Faults = n => n % 7 == 3 ? ProduceFault.LoseResponse : ProduceFault.None;
        Reports reports = await ProduceAsync(kafka, 3000, 3, Config(kafka));
        AssertExactlyOnceInOrder(kafka, 3000, 3, reports);
        Assert.True(kafka.ProduceRequests > 20);
    }

    [Fact]
    public async Task A_failed_batch_ahead_of_pipelined_ones_keeps_the_partition_in_order()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 2);
        kafka.Faults = n => n % 5 == 1 ? ProduceFault.RetriableError : ProduceFault.None;
        Reports reports = await ProduceAsync(kafka, 4000, 2, Config(kafka) with { MaxInFlight = 5 }, pauseEvery: 500);
        AssertExactlyOnceInOrder(kafka, 4000, 2, reports);
    }

    [Fact]
    public async Task Batches_sent_as_the_producer_id_arrives_never_share_a_sequence()
    {
        // The first batches leave the moment InitProducerId is answered. A send that slipped in before every
        // partition counted in the new epoch once reused sequence 0, and the broker took the second batch
        // for a retry of the first: reported delivered, never written (seen about once in 200 runs, so
        // many short-lived producers here).
        for (int round = 0; round < 40; round++)
        {
            await using var kafka = new IdempotentFakeKafka(Topic, 3);
            Reports reports = await ProduceAsync(kafka, 600, 3, Config(kafka) with { BatchNumMessages = 20 }, pauseEvery: 1000);
            AssertExactlyOnceInOrder(kafka, 600, 3, reports);
        }
    }

    [Fact]
    public async Task A_duplicate_sequence_answer_counts_as_delivered()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 1);
        kafka.PartitionErrors.Enqueue((0, ErrorCode.DuplicateSequenceNumber));
        await using var producer = new Producer<string, string>(Config(kafka));
        DeliveryResult<string, string> result = await producer.ProduceAsync(Topic, new Message<string, string> { Value = "x" });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(-1, result.Offset.Value);
    }

    [Fact]
    public async Task Unknown_producer_id_bumps_the_epoch_and_starts_sequences_again()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 1);
        await using var producer = new Producer<byte[], byte[]>(Config(kafka));
        await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Value = Value(0) });
        kafka.PartitionErrors.Enqueue((0, ErrorCode.UnknownProducerId));
        DeliveryResult<byte[], byte[]> second = await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Value = Value(1) });
        Assert.Equal(1, second.Offset.Value);
        Assert.Equal(2, kafka.InitRequests.Count);
        InitProducerIdRequest bump = kafka.InitRequests[1];
        Assert.True(bump.ProducerId >= 0, "the second InitProducerId must name the producer to bump its epoch (KIP-360)");
        Assert.Equal(0, bump.ProducerEpoch);
        Assert.Equal([0, 1], kafka.Values(0));
    }

    [Fact]
    public async Task A_spontaneous_out_of_order_sequence_bumps_the_epoch()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 1);
        await using var producer = new Producer<byte[], byte[]>(Config(kafka));
        await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Value = Value(0) });
        kafka.PartitionErrors.Enqueue((0, ErrorCode.OutOfOrderSequenceNumber));
        DeliveryResult<byte[], byte[]> second = await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Value = Value(1) });
        Assert.Equal(1, second.Offset.Value);
        Assert.Equal(2, kafka.InitRequests.Count);
        Assert.Equal([0, 1], kafka.Values(0));
    }

    [Fact]
    public async Task An_expired_batch_is_reported_and_the_next_ones_get_a_new_epoch()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 1);
        kafka.Faults = n => n is >= 1 and <= 4 ? ProduceFault.Silence : ProduceFault.None;
        var config = Config(kafka) with { DeliveryTimeout = TimeSpan.FromMilliseconds(1500), RequestTimeout = TimeSpan.FromMilliseconds(500) };
        await using var producer = new Producer<byte[], byte[]>(config);
        await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Value = Value(0) });
        var ex = await Assert.ThrowsAsync<ProduceException<byte[], byte[]>>(async () =>
            await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Value = Value(1) }));
        Assert.Equal(ErrorCode.LocalMsgTimedOut, ex.Error);
        Assert.Equal(PersistenceStatus.PossiblyPersisted, ex.DeliveryResult.Status);

        DeliveryResult<byte[], byte[]> next = await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Value = Value(2) });
        Assert.Equal(PersistenceStatus.Persisted, next.Status);
        Assert.True(kafka.InitRequests.Count >= 2, "an expired batch leaves a sequence gap: the epoch must be bumped");
        Assert.Equal([0, 2], kafka.Values(0));
    }

    private static byte[] Value(int i)
    {
        byte[] value = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(value, i);
        return value;
    }

    private sealed class Reports : IDeliveryHandler
    {
        public ConcurrentDictionary<int, (int, long)> Delivered { get; } = new();

        public ConcurrentDictionary<int, string> Failed { get; } = new();

        public void OnDelivery(in DeliveryEvent delivery, object? state)
        {
            if (delivery.IsError)
            {
                Failed[(int)state!] = $"{delivery.Error}: {delivery.ErrorMessage}";
            }
            else
            {
                Assert.True(Delivered.TryAdd((int)state!, (delivery.Partition, delivery.Offset)), $"message {state} reported twice");
            }
        }
    }
}
