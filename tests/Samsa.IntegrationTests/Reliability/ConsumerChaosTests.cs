using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Samsa.Consumer;
using Samsa.TestSupport;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Reliability;

/// <summary>
/// The consumer alone through the chaos proxy: a topic filled without faults is read back by a consumer while
/// the proxy cuts requests and responses mid-frame, stalls responses past request.timeout.ms and resets whole
/// connections, as in the all-faults test (SAMSA_CONSUMER_CHAOS_LOOPS runs more fault loops at once; two already make the
/// network nearly unusable). Every record must come once, in order; a consumer that
/// stops making progress fails the test with a dump of its internal state (each partition, the memory budget,
/// each broker fetcher's loop, the offset resolver) and its last log lines, so that a stall explains itself.
/// Rounds (SAMSA_CONSUMER_CHAOS_ROUNDS, default 3) reuse the cluster and the topic with a fresh consumer.
/// </summary>
public sealed class ConsumerChaosTests(ITestOutputHelper output)
{
    private const int Partitions = 64;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_consumer_reads_every_record_once_in_order_through_cuts_stalls_and_resets_without_stalling()
    {
        int records = int.TryParse(Environment.GetEnvironmentVariable("SAMSA_CONSUMER_CHAOS_RECORDS"), out int r) ? r : 256_000;
        int rounds = int.TryParse(Environment.GetEnvironmentVariable("SAMSA_CONSUMER_CHAOS_ROUNDS"), out int n) ? n : 3;
        await using TestCluster cluster = await TestCluster.StartAsync(3);
        await using ChaosProxy proxy = await ChaosProxy.AttachAsync(cluster);
        string topic = UniqueNames.Topic();
        await cluster.CreateTopicAsync(topic, Partitions, replicationFactor: 3);
        int[] counts = await FillAsync(proxy.BootstrapServers, topic, records);
        var chaos = new AllFaultsChaos(cluster, proxy, topic, Partitions, RequestTimeout);
        for (int round = 1; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            int cutsBefore = proxy.CutCount;
            await ConsumeAsync(proxy, chaos, topic, counts, seed: round);
            output.WriteLine($"Round {round}: read {records:N0} records through {proxy.CutCount - cutsBefore} mid-frame cuts in {watch.Elapsed.TotalSeconds:F1} s; {chaos.Summary()}");
        }
    }

    /// <summary>Writes <paramref name="records"/> records round-robin without faults; record j of a partition holds (partition, j).</summary>
    private static async Task<int[]> FillAsync(string bootstrap, string topic, int records)
    {
        int[] counts = new int[Partitions];
        var config = new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.Leader, EnableIdempotence = false, Linger = TimeSpan.FromMilliseconds(5), MaxInFlight = 1 };
        await using var producer = new Producer<byte[], byte[]>(config);
        for (int i = 0; i < records; i++)
        {
            int p = i % Partitions;
            byte[] value = new byte[16];
            BinaryPrimitives.WriteInt32BigEndian(value, p);
            BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(4), counts[p]++);
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, p), new Message<byte[], byte[]> { Value = value });
                    break;
                }
                catch (KafkaException e) when (e.Error == ErrorCode.LocalQueueFull)
                {
                    await Task.Delay(5);
                }
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        return counts;
    }

    private async Task ConsumeAsync(ChaosProxy proxy, AllFaultsChaos chaos, string topic, int[] counts, int seed)
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug, capacity: 4000);
        var errors = new ConcurrentQueue<string>();
        var config = ChaosClientConfigs.Consumer(proxy.BootstrapServers, RequestTimeout);
        if (Environment.GetEnvironmentVariable("SAMSA_CONSUMER_CHAOS_SMALL") == "1")
        {
            // Many small fetches and a tight memory budget: more rounds, more waits for memory, more exposure to faults.
            config = config with { MaxPartitionFetchBytes = 8 * 1024, QueuedMaxMessagesKbytes = 512 };
        }

        bool slow = Environment.GetEnvironmentVariable("SAMSA_CONSUMER_CHAOS_SLOW") == "1";
        int[] next = new int[Partitions];
        long[] lastOffset = new long[Partitions];
        Array.Fill(lastOffset, -1);
        int remaining = counts.Sum();
        using var stopChaos = new CancellationTokenSource();
        int loops = int.TryParse(Environment.GetEnvironmentVariable("SAMSA_CONSUMER_CHAOS_LOOPS"), out int l) ? l : 1;
        Task faults = Task.WhenAll(Enumerable.Range(0, loops).Select(i => Task.Run(() => chaos.ProxyFaultsAsync(seed * 100 + i, stopChaos.Token))));
        try
        {
            using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(config)
                .SetLoggerFactory(logs)
                .SetErrorHandler((_, e) => errors.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {e.Error}: {e.Message}"))
                .Build();
            var samsa = (Consumer<byte[], byte[]>)consumer;
            consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            DateTime lastProgress = DateTime.UtcNow;
            while (remaining > 0)
            {
                if (DateTime.UtcNow - lastProgress > StallLimit)
                {
                    Fetcher fetcher = samsa.Engine.Fetcher;
                    string behind = string.Join(", ", Enumerable.Range(0, Partitions).Where(p => next[p] < counts[p]).Select(p => $"{p} ({next[p]}/{counts[p]})"));
                    output.WriteLine($"STALL: no record for {StallLimit.TotalSeconds} s; behind: {behind}");
                    output.WriteLine(fetcher.DescribeState());
                    output.WriteLine("Errors reported: " + string.Join(Environment.NewLine, errors.TakeLast(50)));
                    output.WriteLine("Last log lines:" + Environment.NewLine + logs.Dump());
                    if (Environment.GetEnvironmentVariable("SAMSA_CONSUMER_CHAOS_HOLD") is { Length: > 0 } marker)
                    {
                        // Debugging aid: leave the stalled process alive for a while so a dump can be taken.
                        await File.WriteAllTextAsync(marker, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        await Task.Delay(TimeSpan.FromSeconds(90));
                    }

                    Assert.Fail($"the consumer stalled with {remaining:N0} records left; behind in {behind}");
                }

                if (!consumer.TryConsumeRaw(out ConsumedRecord record, TimeSpan.FromMilliseconds(100)))
                {
                    continue;
                }

                int partition = record.Partition;
                int sequence = BinaryPrimitives.ReadInt32BigEndian(record.Value.Span[4..]);
                Assert.True(sequence == next[partition] && record.Offset > lastOffset[partition],
                    $"partition {partition}: got record {sequence} at offset {record.Offset} where record {next[partition]} after offset {lastOffset[partition]} was next");
                next[partition]++;
                lastOffset[partition] = record.Offset;
                remaining--;
                lastProgress = DateTime.UtcNow;
                if (slow && remaining % 1000 == 0)
                {
                    // A slow application: fetchers wait for memory and stay exposed to the faults all through the round.
                    Thread.Sleep(10);
                }
            }

            // Anything more within a moment would be a duplicate.
            Assert.False(consumer.TryConsumeRaw(out ConsumedRecord extra, TimeSpan.FromMilliseconds(500)) && !extra.IsPartitionEof,
                "a record came after every record was read (a duplicate)");
        }
        finally
        {
            await stopChaos.CancelAsync();
            await faults;
            proxy.Heal();
        }
    }
}
