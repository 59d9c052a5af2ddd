using System.Diagnostics;
using Samsa.IntegrationTests.Producer;
using Samsa.TestSupport;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Reliability;

/// <summary>
/// One idempotent acks=all producer run of 1,000,000 messages while every fault happens at once
/// (<see cref="AllFaultsChaos"/>): brokers going down and up, partition leaders moving every second, connections cut
/// in the middle of requests and responses, responses stalled past request.timeout.ms.
/// <para>
/// The log is then read back batch by batch and judged by Kafka's idempotence rules (<see cref="IdempotentLogCheck"/>):
/// the test cluster checks no producer sequences, so a retried batch whose response was lost is written twice; such a
/// copy is dropped only when a real broker would have refused it as DUPLICATE_SEQUENCE_NUMBER (same producer id,
/// epoch and sequence as one of the producer's last five batches, same records), and sequences must be gap-free.
/// What remains must hold every message exactly once, in order per partition, every delivery report pointing at the
/// first copy (<see cref="ProduceVerification"/>). Finally a Samsa consumer reads the whole topic through the proxy
/// while it cuts and stalls connections and must see every record of the log once, in offset order.
/// </para>
/// </summary>
public sealed class AllFaultsProducerTests(ITestOutputHelper output)
{
    private const int Count = 1_000_000;

    /// <summary>~20 MB of records in all: ~0.3 MB per partition, far below the ~5 MB the test cluster keeps.</summary>
    private const int Partitions = 64;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>Production is paced over this long so the faults land all through it, not only at its start.</summary>
    private static readonly TimeSpan ProduceSpread = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_million_messages_through_every_fault_at_once_are_in_the_log_once_in_order_with_truthful_reports()
    {
        var total = Stopwatch.StartNew();
        await using TestCluster cluster = await TestCluster.StartAsync(3);
        await using ChaosProxy proxy = await ChaosProxy.AttachAsync(cluster);
        string topic = UniqueNames.Topic();
        await cluster.CreateTopicAsync(topic, Partitions, replicationFactor: 3);
        var chaos = new AllFaultsChaos(cluster, proxy, topic, Partitions, RequestTimeout);
        var verification = new ProduceVerification();
        string clientId = "all-faults-" + Guid.NewGuid().ToString("N");
        using var meters = new ClientMeterTotals(clientId);

        TimeSpan produceTime = await ProduceThroughChaosAsync(proxy, chaos, topic, verification, clientId);
        await chaos.HealAsync();
        output.WriteLine($"Produced {Count:N0} in {produceTime.TotalSeconds:F1} s through {chaos.Summary()}.");
        output.WriteLine($"Producer: {meters["samsa.producer.batches.retried"]:N0} batches retried, {meters["samsa.requests.timeouts"]:N0} requests timed out, " +
            $"{meters["samsa.connections.opened"]:N0} connections opened, {meters["samsa.producer.records.failed"]:N0} records failed.");

        List<LoggedBatch> batches = await BatchLogReader.ReadAllAsync(cluster, topic, Partitions, TimeSpan.FromMinutes(2));
        IdempotentLogResult log = IdempotentLogCheck.Apply(batches);
        output.WriteLine($"Log: {batches.Count:N0} batches, {batches.Sum(b => b.RecordCount):N0} records; {log.CopiesDropped:N0} whole-batch copies " +
            $"({log.Copies.Count:N0} records) dropped as a real broker would (DUPLICATE_SEQUENCE_NUMBER); " +
            $"{log.Identities} producer id/epoch pair(s), so {log.Identities - 1} epoch bump(s) or new id(s).");
        Assert.Equal(0, verification.Verify(log.Kept, Count, allMustBeDelivered: true, droppedCopies: log.Copies));
        Assert.Equal(Count, log.Kept.Count);
        output.WriteLine($"Reports: {verification.Delivered:N0} delivered, {verification.Failed.Count} failed; {verification.ReportsAtDroppedCopies:N0} delivered " +
            "reports point at a dropped copy of their message (the test cluster answered the retry with the copy's offset; a real broker answers with the first's).");

        Assert.True(chaos.BrokerRestarts >= 5 && chaos.LeaderMoves >= 100 && proxy.CutCount >= 10 && chaos.Stalls >= 5,
            $"too little chaos to mean anything: {chaos.Summary()}");
        Assert.True(meters["samsa.producer.batches.retried"] > 0, "no batch was retried: the faults did not reach the producer");

        TimeSpan consumeTime = await ConsumeThroughChaosAsync(proxy, chaos, topic, batches);
        output.WriteLine($"A consumer read all {batches.Sum(b => b.RecordCount):N0} records once and in order through cuts and stalls in {consumeTime.TotalSeconds:F1} s; " +
            $"proxy totals: {proxy.CutCount} frames cut, {chaos.Stalls} stalls. Whole test {total.Elapsed.TotalSeconds:F1} s.");
    }

    private static async Task<TimeSpan> ProduceThroughChaosAsync(ChaosProxy proxy, AllFaultsChaos chaos, string topic,
        ProduceVerification verification, string clientId)
    {
        ProducerConfig config = ChaosClientConfigs.Producer(proxy.BootstrapServers, RequestTimeout) with { ClientId = clientId };

        var watch = Stopwatch.StartNew();
        using var stopChaos = new CancellationTokenSource();
        Task faults = Task.Run(() => chaos.RunAllAsync(seed: 8, stopChaos.Token));
        await using (var producer = new Producer<byte[], byte[]>(config))
        {
            for (int i = 0; i < Count; i++)
            {
                while ((i & 1023) == 0 && i > watch.Elapsed / ProduceSpread * Count)
                {
                    await Task.Delay(10);
                }

                var message = new Message<byte[], byte[]> { Value = ProduceVerification.Value(i, 16) };
                await verification.ProduceAsync(producer, new TopicPartition(topic, i % Partitions), message, i);
            }

            await stopChaos.CancelAsync();
            await faults;
            await chaos.HealAsync();
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(90)));
        }

        return watch.Elapsed;
    }

    /// <summary>
    /// Reads every partition from the beginning with a Samsa consumer through the proxy while it cuts and stalls
    /// connections; each partition must come back as exactly the log's records, copies included, in offset order.
    /// </summary>
    private static async Task<TimeSpan> ConsumeThroughChaosAsync(ChaosProxy proxy, AllFaultsChaos chaos, string topic, List<LoggedBatch> batches)
    {
        var expected = new List<LoggedRecord>[Partitions];
        for (int p = 0; p < Partitions; p++)
        {
            expected[p] = [];
        }

        foreach (LoggedBatch b in batches)
        {
            expected[b.Partition].AddRange(b.Records);
        }

        int[] next = new int[Partitions];
        int remaining = batches.Sum(b => b.RecordCount);
        var config = ChaosClientConfigs.Consumer(proxy.BootstrapServers, RequestTimeout);

        var watch = Stopwatch.StartNew();
        using var stopChaos = new CancellationTokenSource();
        Task faults = Task.Run(() => chaos.ProxyFaultsAsync(seed: 21, stopChaos.Token));
        try
        {
            using var consumer = new Consumer<byte[], byte[]>(config);
            consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            DateTime quietUntil = DateTime.MaxValue;
            while (DateTime.UtcNow < quietUntil)
            {
                // Messages are built only on failure: per record they cost more than the consuming itself.
                if (DateTime.UtcNow >= deadline)
                {
                    Assert.Fail($"the consumer read {expected.Sum(e => e.Count) - remaining:N0} of {expected.Sum(e => e.Count):N0} records in 2 minutes; " +
                        $"behind in partitions {string.Join(", ", Enumerable.Range(0, Partitions).Where(p => next[p] < expected[p].Count).Select(p => $"{p} (at {next[p]} of {expected[p].Count})"))}." +
                        $"{Environment.NewLine}Consumer state:{Environment.NewLine}{consumer.Engine.Fetcher.DescribeState()}");
                }

                if (!consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.FromMilliseconds(100)))
                {
                    continue;
                }

                int p = r.Partition;
                if (next[p] >= expected[p].Count)
                {
                    Assert.Fail($"partition {p}: the consumer got offset {r.Offset} after all {expected[p].Count} records of the log (a duplicate)");
                }

                LoggedRecord want = expected[p][next[p]];
                if (r.Offset != want.Offset)
                {
                    Assert.Fail($"partition {p}: the consumer got offset {r.Offset} where offset {want.Offset} was next ({(r.Offset > want.Offset ? "records skipped" : "a duplicate or a step back")})");
                }

                if (!r.Value.Span.SequenceEqual(want.Value))
                {
                    Assert.Fail($"partition {p} offset {r.Offset}: the consumer's value differs from the log's");
                }

                next[p]++;
                if (--remaining == 0)
                {
                    // Everything read: anything more in the next second would be a duplicate.
                    quietUntil = DateTime.UtcNow + TimeSpan.FromSeconds(1);
                }
            }
        }
        finally
        {
            await stopChaos.CancelAsync();
            await faults;
            proxy.Heal();
        }

        return watch.Elapsed;
    }
}
