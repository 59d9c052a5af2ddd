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
    private int _failed;
    private string? _firstError;

    private KeyedData(int partitions)
    {
        _ends = new long[partitions];
    }

    /// <summary>Produces <paramref name="messages"/> messages over <paramref name="keys"/> keys; returns each partition's end offset.</summary>
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
        var ends = new Dictionary<TopicPartition, long>();
        for (int p = 0; p < partitions; p++)
        {
            ends[new TopicPartition(topic, p)] = Volatile.Read(ref data._ends[p]);
        }

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

        // Called in order per partition: the last offset seen + 1 is the partition's end.
        Volatile.Write(ref _ends[delivery.Partition], delivery.Offset + 1);
    }
}
