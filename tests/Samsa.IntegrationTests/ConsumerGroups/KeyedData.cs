using System.Buffers.Binary;
using System.Diagnostics;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>
/// Keyed test data produced with Samsa's producer: message i has key (i mod keys) as an int32, and its value is
/// the key, then the key's own sequence number (0, 1, 2, ...), then padding. The default partitioner places
/// keys, so each key's messages land in one partition, in sequence order.
/// </summary>
internal sealed class KeyedData : IDeliveryHandler
{
    private readonly long[] _ends;
    private readonly long[] _counts;
    private int _outOfOrder;
    private int _failed;
    private string? _firstError;

    private KeyedData(int partitions)
    {
        _ends = new long[partitions];
        _counts = new long[partitions];
    }

    /// <summary>
    /// Produces <paramref name="messages"/> messages over <paramref name="keys"/> keys; returns each partition's end
    /// offset as the cluster reports it (high watermark), after checking it against the delivery reports.
    /// </summary>
    public static Dictionary<TopicPartition, long> Produce(string bootstrap, string topic, int partitions, int messages, int keys, int valueSize = 16, int firstSeq = 0)
    {
        var data = new KeyedData(partitions);
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Linger = TimeSpan.FromMilliseconds(20),
            QueueBufferingMaxMessages = 2_000_000,
        };
        var watch = Stopwatch.StartNew();
        using (var producer = new Producer<byte[], byte[]>(config))
        {
            Span<byte> key = stackalloc byte[4];
            Span<byte> value = stackalloc byte[Math.Max(8, valueSize)];
            int[] seq = new int[keys];
            Array.Fill(seq, firstSeq);
            for (int i = 0; i < messages; i++)
            {
                int k = i % keys;
                BinaryPrimitives.WriteInt32BigEndian(key, k);
                BinaryPrimitives.WriteInt32BigEndian(value, k);
                BinaryPrimitives.WriteInt32BigEndian(value[4..], seq[k]++);
                producer.ProduceRaw(topic, -1, key, false, value, false, [], 0, data, null);
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
        }

        Assert.True(data._failed == 0, $"{data._failed} messages failed: {data._firstError}");
        Console.WriteLine($"produced {messages:N0} keyed messages to {partitions} partitions in {watch.Elapsed.TotalSeconds:F1} s ({messages / watch.Elapsed.TotalSeconds:N0} msg/s)");
        Assert.Equal(messages, data._counts.Sum());

        // The log's end per partition, from the cluster: what the consumers must reach.
        var ends = new Dictionary<TopicPartition, long>();
        using (var query = new Consumer<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap }))
        {
            Task<WatermarkOffsets>[] marks = [.. Enumerable.Range(0, partitions).Select(p => query.QueryWatermarkOffsetsAsync(new TopicPartition(topic, p)))];
            Task.WhenAll(marks).WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
            for (int p = 0; p < partitions; p++)
            {
                ends[new TopicPartition(topic, p)] = marks[p].Result.High.Value;
            }
        }

        // The producer promises delivery reports in order per partition, also when the responses of pipelined
        // requests are handled out of order.
        Assert.True(data._outOfOrder == 0, $"{data._outOfOrder} producer delivery reports came out of order within their partition");

        // Every partition ends where the highest reported offset says (nothing lost, nothing written twice).
        int[] differ = [.. Enumerable.Range(0, partitions).Where(p => data._ends[p] != ends[new TopicPartition(topic, p)])];
        Assert.True(differ.Length == 0, $"{differ.Length} partitions do not end after the highest reported offset, e.g. " +
            string.Join(", ", differ.Take(3).Select(p => $"[{p}] highest report {data._ends[p] - 1}, high watermark {ends[new TopicPartition(topic, p)]}")));
        return ends;
    }

    public void OnDelivery(in DeliveryEvent delivery, object? state)
    {
        if (delivery.IsError)
        {
            Interlocked.Increment(ref _failed);
            _firstError ??= delivery.ErrorMessage;
            return;
        }

        // Called on the producer's delivery thread; documented in order per partition (counted when not).
        if (delivery.Offset + 1 <= _ends[delivery.Partition])
        {
            _outOfOrder++;
        }

        _ends[delivery.Partition] = Math.Max(_ends[delivery.Partition], delivery.Offset + 1);
        _counts[delivery.Partition]++;
    }
}
