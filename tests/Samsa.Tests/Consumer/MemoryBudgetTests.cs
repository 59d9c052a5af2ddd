using Samsa.Consumer;
using Samsa.Compression;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task BufferedDataStaysWithinQueuedMaxMessagesKbytes()
    {
        await using var kafka = new FakeKafka(brokers: 2);
        Fill(kafka, "b", partitions: 4, batches: 40, recordsPerBatch: 10);

        const int budgetKb = 256;
        long limit = budgetKb * 1024L;
        using Consumer<string, string> consumer = AssignedFromStart(kafka, "b", partitions: 4, budgetKb);
        FetchMemoryBudget budget = consumer.Engine.Fetcher.Budget;

        // Not consuming: fetching must stop at the budget, and stay stopped.
        long maxUsed = await PeakUsedAsync(budget, TimeSpan.FromSeconds(1.5));

        int fetches = kafka.Fetches.Count;
        await Task.Delay(400);
        Assert.Equal(fetches, kafka.Fetches.Count);
        Assert.True(maxUsed <= limit + (16 * 1024), $"buffered {maxUsed} bytes with a budget of {limit}");
        Assert.True(maxUsed >= limit / 2, $"buffered only {maxUsed} bytes: the budget should be used");
        Assert.All(kafka.Fetches, f => Assert.True(f.Request.MaxBytes <= limit, $"a fetch asked for {f.Request.MaxBytes} bytes"));
        int buffered = consumer.Engine.Fetcher.BufferedRecords;
        Assert.InRange(buffered, 1, 1599);

        // Consuming frees the budget; everything arrives exactly once, in order per partition.
        AssertAllOnceInOrder(ConsumeMessages(consumer, 1600, TimeSpan.FromSeconds(20)), partitions: 4, perPartition: 400);

        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
        await WaitUntilAsync(() => budget.Buffered == 0, "every buffer to be released", TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task AnswersLargerThanAskedForStillFitTheBudgetTogether()
    {
        // One partition per broker, batches of ~300 KB: every answer is one whole batch, far beyond the ~85 KB
        // each broker's share lets it ask for (a broker returns a first batch larger than MaxBytes to make
        // progress). Reserving only what was asked for, the three answers together held ~900 KB of a 512 KiB
        // budget; a fetch now also reserves what its broker's last answer exceeded MaxBytes by.
        await using var kafka = new FakeKafka(brokers: 3);
        Fill(kafka, "o", partitions: 3, batches: 4, recordsPerBatch: 300);

        const int budgetKb = 512;
        long limit = budgetKb * 1024L;
        using Consumer<string, string> consumer = AssignedFromStart(kafka, "o", partitions: 3, budgetKb);
        FetchMemoryBudget budget = consumer.Engine.Fetcher.Budget;

        long maxUsed = await PeakUsedAsync(budget, TimeSpan.FromSeconds(1.5));

        Assert.True(maxUsed <= limit, $"buffered {maxUsed} bytes with a budget of {limit}");
        Assert.True(consumer.Engine.Fetcher.BufferedRecords > 0, "nothing was fetched");

        // Every broker still gets its turn: everything arrives exactly once, in order per partition.
        AssertAllOnceInOrder(ConsumeMessages(consumer, 3600, TimeSpan.FromSeconds(30)), partitions: 3, perPartition: 1200);

        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300))); // releases the last record's frame
        await WaitUntilAsync(() => budget.Buffered == 0, "every buffer to be released", TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task DecompressedBuffersCountAndAreReleased()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("z", 1);
        kafka.Change("z", 0, l =>
        {
            for (int i = 0; i < 20; i++)
            {
                l.Append(50, compression: CompressionType.Zstd, valueSize: 2000);
            }
        });
        using Consumer<string, string> consumer = AssignedFromStart(kafka, "z", partitions: 1, budgetKb: 512);
        FetchMemoryBudget budget = consumer.Engine.Fetcher.Budget;
        await WaitUntilAsync(() => consumer.Engine.Fetcher.BufferedRecords > 0, "data buffered");
        await Task.Delay(300);

        // Compressed batches of 100 KB decompress to far more than their wire size: the budget counts that.
        Assert.True(budget.Used > 100 * 1024, $"only {budget.Used} bytes counted");
        Assert.True(budget.Used <= budget.Limit + (110 * 1024), $"{budget.Used} bytes counted with a budget of {budget.Limit}");
        List<ConsumeResult<string, string>> all = ConsumeMessages(consumer, 1000, TimeSpan.FromSeconds(20));
        Assert.Equal(1000, all.Count);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));
        await WaitUntilAsync(() => budget.Buffered == 0, "every buffer to be released", TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RetainedRecordKeepsItsMemoryButLeavesTheBudgetOnceConsumedPast()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("k", 1);
        kafka.Change("k", 0, l => l.Append(3, valueSize: 100));
        using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign(new TopicPartitionOffset("k", 0, 0));
        Assert.True(consumer.TryConsumeRaw(out ConsumedRecord first, TimeSpan.FromSeconds(5)));
        RecordLease lease = first.Retain();
        ReadOnlyMemory<byte> kept = first.Value;
        for (int i = 0; i < 2; i++)
        {
            Assert.True(consumer.TryConsumeRaw(out _, TimeSpan.FromSeconds(5)));
        }

        Assert.False(consumer.TryConsumeRaw(out _, TimeSpan.FromMilliseconds(300)));
        FetchMemoryBudget budget = consumer.Engine.Fetcher.Budget;
        await WaitUntilAsync(() => budget.Buffered == 0, "the delivered frame to leave the budget", TimeSpan.FromSeconds(3));
        Assert.StartsWith("v-0", System.Text.Encoding.UTF8.GetString(kept.Span), StringComparison.Ordinal); // still valid
        lease.Dispose();
        lease.Dispose();
        Assert.Equal(0, budget.Buffered);
    }

    [Fact]
    public async Task Records_the_application_keeps_never_stop_the_fetching()
    {
        // Every record is kept (as a C program that destroys its messages later would): they pin far more than the
        // 1 MiB budget (libsamsa's default). Before, their frames counted against it and the fetchers waited for memory forever.
        await using var kafka = new FakeKafka();
        Fill(kafka, "keep", partitions: 4, batches: 40, recordsPerBatch: 20);
        using Consumer<string, string> consumer = AssignedFromStart(kafka, "keep", partitions: 4, budgetKb: 1024);
        var leases = new List<RecordLease>();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (leases.Count < 3200 && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.FromMilliseconds(200)) && !r.IsPartitionEof)
            {
                leases.Add(r.Retain());
            }
        }

        Assert.Equal(3200, leases.Count);
        FetchMemoryBudget budget = consumer.Engine.Fetcher.Budget;
        Assert.True(budget.Buffered <= budget.Limit + (40 * 1024), $"{budget.Buffered} bytes counted with a budget of {budget.Limit}");
        foreach (RecordLease lease in leases)
        {
            lease.Dispose();
        }
    }

    /// <summary>A consumer with a prefetch budget of <paramref name="budgetKb"/> KiB, assigned every partition from offset 0.</summary>
    private static Consumer<string, string> AssignedFromStart(FakeKafka kafka, string topic, int partitions, int budgetKb)
    {
        Consumer<string, string> consumer = Create(Config(kafka) with { QueuedMaxMessagesKbytes = budgetKb });
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)));
        return consumer;
    }

    /// <summary>Each partition of a new topic gets <paramref name="batches"/> batches of 1000-byte records.</summary>
    private static void Fill(FakeKafka kafka, string topic, int partitions, int batches, int recordsPerBatch)
    {
        kafka.CreateTopic(topic, partitions);
        for (int p = 0; p < partitions; p++)
        {
            kafka.Change(topic, p, l =>
            {
                for (int i = 0; i < batches; i++)
                {
                    l.Append(recordsPerBatch, valueSize: 1000);
                }
            });
        }
    }

    /// <summary>The most the budget counted in use while sampled for <paramref name="duration"/>.</summary>
    private static async Task<long> PeakUsedAsync(FetchMemoryBudget budget, TimeSpan duration)
    {
        long maxUsed = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            maxUsed = Math.Max(maxUsed, budget.Used);
            await Task.Delay(1);
        }

        return maxUsed;
    }

    /// <summary>Every record arrived exactly once, in offset order per partition.</summary>
    private static void AssertAllOnceInOrder(List<ConsumeResult<string, string>> all, int partitions, int perPartition)
    {
        Assert.Equal(partitions * perPartition, all.Count);
        foreach (IGrouping<int, ConsumeResult<string, string>> g in all.GroupBy(r => r.Partition))
        {
            Assert.Equal(Enumerable.Range(0, perPartition).Select(i => (long)i), g.Select(r => r.Offset.Value));
        }
    }
}
