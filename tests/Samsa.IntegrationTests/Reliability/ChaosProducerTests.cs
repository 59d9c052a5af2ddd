using System.Buffers.Binary;
using System.Diagnostics;
using Samsa.Compression;
using Samsa.IntegrationTests.Producer;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Protocol.Records;
using Samsa.TestSupport;
using Xunit.Abstractions;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.IntegrationTests.Reliability;

/// <summary>
/// The idempotent acks=all producer behind a <see cref="ChaosProxy"/>: connections cut in the middle of requests
/// and responses, responses stalled past request.timeout.ms, delays and refused connections, on every broker,
/// while 200,000 messages are produced. Read back, nothing is lost, every partition keeps its order and every
/// delivery report is true. The test cluster does not check producer sequences (no transactional id), so a
/// batch whose response was lost is written again by its retry; such copies are allowed only for messages
/// the proxy saw in a Produce request that was never answered, which tells them apart from a client bug.
/// </summary>
public sealed class ChaosProducerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task IdempotentProducerSurvivesCutsStallsAndRefusalsWithNothingLostAndTruthfulReports()
    {
        const int Count = 200_000;
        const int Partitions = 12;
        await using TestCluster cluster = await TestCluster.StartAsync(3);
        await using ChaosProxy proxy = await ChaosProxy.AttachAsync(cluster);
        string topic = UniqueNames.Topic();
        await cluster.CreateTopicAsync(topic, Partitions, replicationFactor: 3);

        var verification = new ProduceVerification();
        var chaosLog = new List<string>();
        using var stopChaos = new CancellationTokenSource();
        ProducerConfig config = ChaosClientConfigs.Producer(proxy.BootstrapServers, TimeSpan.FromSeconds(1.5));

        var watch = Stopwatch.StartNew();
        Task chaos = Task.Run(() => ChaosAsync(proxy, chaosLog, stopChaos.Token));
        await using (var producer = new Producer<byte[], byte[]>(config))
        {
            for (int i = 0; i < Count; i++)
            {
                var message = new Message<byte[], byte[]> { Value = ProduceVerification.Value(i, 24) };
                await verification.ProduceAsync(producer, new TopicPartition(topic, i % Partitions), message, i);

                if (i % 2_000 == 0)
                {
                    // Paced over ~15 s so that the chaos lands all through production, not only at its end.
                    await Task.Delay(150);
                }
            }

            await stopChaos.CancelAsync();
            await chaos;
            int left = producer.Flush(TimeSpan.FromSeconds(90));
            Assert.Equal(0, left);
        }

        proxy.Heal();
        output.WriteLine($"Produced {Count} in {watch.Elapsed.TotalSeconds:F1} s; {chaosLog.Count} faults ({proxy.CutCount} cuts mid-frame, {proxy.RefusedCount} refused connections, {proxy.ConnectionCount} connections): {string.Join(", ", chaosLog.Take(12))}...");

        List<LoggedRecord> log = TopicReader.ReadAll(cluster.BootstrapServers, topic, Partitions, TimeSpan.FromMinutes(1));
        int duplicates = verification.Verify(log, Count, allMustBeDelivered: true, allowRedelivery: true);
        Assert.Equal(Count + duplicates, log.Count);

        // Every later copy must be of a message that was in a Produce request whose response never arrived.
        HashSet<int> ambiguous = AmbiguousMessages(proxy);
        var seen = new HashSet<int>();
        int unexplained = 0;
        foreach (LoggedRecord r in log.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            int sequence = BinaryPrimitives.ReadInt32BigEndian(r.Value);
            if (!seen.Add(sequence) && !ambiguous.Contains(sequence))
            {
                unexplained++;
            }
        }

        output.WriteLine($"{log.Count} records; {duplicates} later copies written by retries of unanswered requests " +
            $"({ambiguous.Count} messages were in {proxy.UnansweredProduceRequests.Count} unanswered Produce requests); {unexplained} unexplained.");
        Assert.Equal(0, unexplained);
        Assert.True(proxy.CutCount > 0 && chaosLog.Count >= 10, "the chaos did not happen");
    }

    private static async Task ChaosAsync(ChaosProxy proxy, List<string> log, CancellationToken stop)
    {
        var random = new Random(11);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int id = 1 + random.Next(proxy.Brokers.Count);
                ChaosBroker broker = proxy.Broker(id);
                switch (random.Next(6))
                {
                    case 0:
                        broker.CutRequests(1 + random.Next(2));
                        log.Add($"cut requests to {id}");
                        break;
                    case 1:
                        broker.CutResponses(1 + random.Next(2));
                        log.Add($"cut responses from {id}");
                        break;
                    case 2:
                        broker.StallResponses(TimeSpan.FromSeconds(2.5)); // past request.timeout.ms (1.5 s)
                        log.Add($"stall {id}");
                        break;
                    case 3:
                        broker.Delay = TimeSpan.FromMilliseconds(30);
                        await Task.Delay(400, stop);
                        broker.Delay = TimeSpan.Zero;
                        log.Add($"delay {id}");
                        break;
                    case 4:
                        broker.RefuseConnections = true;
                        broker.CutAllConnections();
                        await Task.Delay(300, stop);
                        broker.RefuseConnections = false;
                        log.Add($"down {id}");
                        break;
                    default:
                        broker.CutAllConnections();
                        log.Add($"reset {id}");
                        break;
                }

                await Task.Delay(250 + random.Next(250), stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The sequence numbers of the messages in every Produce request the client never got an answer to.</summary>
    private static HashSet<int> AmbiguousMessages(ChaosProxy proxy)
    {
        var sequences = new HashSet<int>();
        foreach (byte[] frame in proxy.UnansweredProduceRequests)
        {
            var reader = new ProtocolReader(frame);
            reader.ReadInt16();
            short version = reader.ReadInt16();
            reader.ReadInt32();
            reader.ReadNullableString(compact: false);
            if (MessageCatalog.RequestHeaderVersion(ApiKey.Produce, version) >= 2)
            {
                uint tags = reader.ReadUnsignedVarInt();
                for (uint t = 0; t < tags; t++)
                {
                    reader.ReadUnsignedVarInt();
                    reader.ReadTaggedFieldReader(out _);
                }
            }

            ProduceRequest request;
            try
            {
                request = ProduceRequest.Read(ref reader, version);
            }
            catch (ProtocolException)
            {
                continue; // cut before its end: never reached the broker whole, so never written
            }

            foreach (ProduceRequest.TopicProduceData topic in request.TopicData)
            {
                foreach (ProduceRequest.PartitionProduceData data in topic.PartitionData)
                {
                    var batches = new RecordBatchReader(data.Records!.Value);
                    while (batches.TryReadNext(out RecordBatch batch))
                    {
                        using DecodedRecordBatch decoded = RecordBatchDecoder.Decode(batch);
                        foreach (Record record in decoded)
                        {
                            sequences.Add(BinaryPrimitives.ReadInt32BigEndian(record.Value.Span));
                        }
                    }
                }
            }
        }

        return sequences;
    }
}
