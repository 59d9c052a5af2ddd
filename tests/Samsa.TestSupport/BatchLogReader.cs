using Samsa.Compression;
using Samsa.Protocol.Messages;
using Samsa.Protocol.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.TestSupport;

/// <summary>
/// One record batch as a partition's log holds it: the producer fields of its header (what a broker's
/// idempotence checks look at) and its records.
/// </summary>
public sealed record LoggedBatch(int Partition, long BaseOffset, long ProducerId, short ProducerEpoch, int BaseSequence,
    IReadOnlyList<LoggedRecord> Records)
{
    public int RecordCount => Records.Count;

    public override string ToString() =>
        $"batch at {Partition}/{BaseOffset} ({RecordCount} records, producer {ProducerId} epoch {ProducerEpoch} sequence {BaseSequence})";
}

/// <summary>
/// Reads a whole topic back batch by batch with bare Fetch requests (<see cref="KafkaWireClient"/>, straight to the
/// test cluster's brokers, no proxy): unlike <see cref="TopicReader"/>, which gives records, it keeps every batch's
/// header, so a test can judge copies the way a broker's duplicate detection would.
/// </summary>
public static class BatchLogReader
{
    private const short MetadataVersion = 7;
    private const short FetchVersion = 11;

    /// <summary>Every batch of every partition of <paramref name="topic"/>, from the log start to the high watermark, in offset order per partition.</summary>
    public static async Task<List<LoggedBatch>> ReadAllAsync(TestCluster cluster, string topic, int partitions, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Dictionary<int, List<int>> byLeader = await LeadersAsync(cluster, topic, partitions, deadline.Token);
        var batches = new List<LoggedBatch>();
        foreach (var (leader, owned) in byLeader)
        {
            await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(cluster.BrokerAddress(leader), deadline.Token);
            var next = owned.ToDictionary(p => p, _ => 0L);
            var done = new HashSet<int>();
            while (done.Count < owned.Count)
            {
                var request = new FetchRequest
                {
                    MaxWaitMs = 0,
                    MinBytes = 0,
                    MaxBytes = 16 * 1024 * 1024,
                    SessionEpoch = -1,
                    Topics =
                    [
                        new FetchRequest.FetchTopic
                        {
                            Topic = topic,
                            Partitions = [.. owned.Where(p => !done.Contains(p)).Select(p => new FetchRequest.FetchPartition
                            {
                                Partition = p,
                                FetchOffset = next[p],
                                PartitionMaxBytes = 1024 * 1024,
                            })],
                        },
                    ],
                };
                FetchResponse response = await wire.SendAsync<FetchRequest, FetchResponse>(request, FetchVersion, deadline.Token);
                foreach (FetchResponse.PartitionData data in response.Responses.Single().Partitions)
                {
                    int p = data.PartitionIndex;
                    if (data.ErrorCode != 0)
                    {
                        throw new InvalidOperationException($"Fetch {topic}/{p} at {next[p]} from broker {leader} failed with error {data.ErrorCode}.");
                    }

                    if (data.LogStartOffset > 0 && next[p] == 0)
                    {
                        throw new InvalidOperationException($"{topic}/{p} starts at offset {data.LogStartOffset}: the test cluster trimmed the partition, so the log cannot be checked whole.");
                    }

                    long before = next[p];
                    next[p] = Append(batches, topic, p, data.Records ?? ReadOnlyMemory<byte>.Empty, next[p]);
                    if (next[p] >= data.HighWatermark)
                    {
                        done.Add(p);
                    }
                    else if (next[p] == before)
                    {
                        throw new InvalidOperationException($"Fetch {topic}/{p} at {before} returned no whole batch below the high watermark {data.HighWatermark}.");
                    }
                }
            }
        }

        batches.Sort(static (a, b) => a.Partition != b.Partition ? a.Partition.CompareTo(b.Partition) : a.BaseOffset.CompareTo(b.BaseOffset));
        return batches;
    }

    /// <summary>Decodes the whole batches of one fetched record set at or after <paramref name="from"/>; returns the next offset to fetch.</summary>
    private static long Append(List<LoggedBatch> batches, string topic, int partition, ReadOnlyMemory<byte> records, long from)
    {
        var reader = new RecordBatchReader(records, topic, partition);
        while (reader.TryReadNext(out RecordBatch batch))
        {
            RecordBatchHeader header = batch.Header;
            if (header.NextOffset <= from)
            {
                continue; // a broker may return the batch holding the fetch offset from its start
            }

            var logged = new List<LoggedRecord>(header.RecordCount);
            using (DecodedRecordBatch decoded = RecordBatchDecoder.Decode(batch))
            {
                foreach (Record record in decoded)
                {
                    logged.Add(new LoggedRecord(partition, record.Offset, record.KeyIsNull ? null : record.Key.ToArray(),
                        record.ValueIsNull ? null : record.Value.ToArray(), record.Timestamp));
                }
            }

            batches.Add(new LoggedBatch(partition, header.BaseOffset, header.ProducerId, header.ProducerEpoch, header.BaseSequence, logged));
            from = header.NextOffset;
        }

        return from;
    }

    private static async Task<Dictionary<int, List<int>>> LeadersAsync(TestCluster cluster, string topic, int partitions, CancellationToken cancellationToken)
    {
        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(cluster.BrokerAddress(1), cancellationToken);
        MetadataResponse metadata = await wire.SendAsync<MetadataRequest, MetadataResponse>(
            new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = topic }] }, MetadataVersion, cancellationToken);
        MetadataResponse.MetadataResponseTopic t = metadata.Topics.Single();
        if (t.ErrorCode != 0 || t.Partitions.Count != partitions)
        {
            throw new InvalidOperationException($"Metadata for {topic}: error {t.ErrorCode}, {t.Partitions.Count} partitions (expected {partitions}).");
        }

        var byLeader = new Dictionary<int, List<int>>();
        foreach (MetadataResponse.MetadataResponsePartition p in t.Partitions)
        {
            if (p.LeaderId < 0)
            {
                throw new InvalidOperationException($"{topic}/{p.PartitionIndex} has no leader.");
            }

            if (!byLeader.TryGetValue(p.LeaderId, out List<int>? list))
            {
                byLeader[p.LeaderId] = list = [];
            }

            list.Add(p.PartitionIndex);
        }

        return byLeader;
    }
}
