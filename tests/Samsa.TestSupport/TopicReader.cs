using CK = Confluent.Kafka;

namespace Samsa.TestSupport;

/// <summary>One record as an independent client (librdkafka) read it back.</summary>
public sealed record LoggedRecord(int Partition, long Offset, byte[]? Key, byte[]? Value, long Timestamp);

/// <summary>
/// Reads a whole topic back with Confluent.Kafka (librdkafka), from the beginning of every partition to its end:
/// an independent check of what a Samsa client wrote.
/// </summary>
public static class TopicReader
{
    /// <param name="properties">More librdkafka properties (security settings, for example).</param>
    public static List<LoggedRecord> ReadAll(string bootstrapServers, string topic, int partitions, TimeSpan timeout,
        IEnumerable<KeyValuePair<string, string>>? properties = null)
    {
        Librdkafka.LoadForConfluentKafka();
        var config = new CK.ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "topic-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = CK.IsolationLevel.ReadUncommitted,
            FetchMaxBytes = 16 * 1024 * 1024,
            MaxPartitionFetchBytes = 4 * 1024 * 1024,
        };
        foreach (KeyValuePair<string, string> p in properties ?? [])
        {
            config.Set(p.Key, p.Value);
        }

        using CK.IConsumer<byte[], byte[]> consumer = new CK.ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new CK.TopicPartitionOffset(topic, p, CK.Offset.Beginning)));
        var records = new List<LoggedRecord>();
        var atEnd = new HashSet<int>();
        DateTime deadline = DateTime.UtcNow + timeout;
        while (atEnd.Count < partitions)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Reading {topic} back: {atEnd.Count} of {partitions} partitions reached their end in {timeout}; {records.Count} records read.");
            }

            CK.ConsumeResult<byte[], byte[]>? r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                atEnd.Add(r.Partition.Value);
                continue;
            }

            atEnd.Remove(r.Partition.Value);
            records.Add(new LoggedRecord(r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Value, r.Message.Timestamp.UnixTimestampMs));
        }

        return records;
    }
}
