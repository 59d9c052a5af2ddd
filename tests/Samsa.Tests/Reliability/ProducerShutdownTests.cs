using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Samsa.Tests.Producer;

namespace Samsa.Tests.Reliability;

/// <summary>
/// Disposing a producer with messages in flight: each message is either delivered within the flush timeout or
/// reported failed, exactly once; and nothing the producer opened (sockets, handles, threads) outlives it.
/// </summary>
[Collection(ProcessWideCountsCollection.Name)]
public sealed class ProducerShutdownTests
{
    private const string Topic = "shutdown";

    private static ProducerConfig Config(IdempotentFakeKafka kafka) => new()
    {
        BootstrapServers = kafka.BootstrapServers,
        Linger = TimeSpan.FromMilliseconds(1),
        BatchNumMessages = 50,
        RetryBackoff = TimeSpan.FromMilliseconds(5),
        ReconnectBackoff = TimeSpan.FromMilliseconds(5),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A producer whose dispose waits at most <paramref name="closeTimeout"/> for deliveries (the public one waits 30 s).</summary>
    private static Producer<byte[], byte[]> Create(ProducerConfig config, TimeSpan closeTimeout)
    {
        ProducerConfig effective = config.Validate();
        return new Producer<byte[], byte[]>(ClientSettings.Producer(effective, null), ClientSettings.Cluster(effective, NullLogger.Instance),
            null, null, null, "shutdown-test", closeTimeout);
    }

    [Fact]
    public async Task DisposingWhileTheBrokerNeverAnswersReportsEveryMessageFailedOnce()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 2);
        kafka.Faults = _ => ProduceFault.Silence;
        var reports = new Reports(1000);
        var producer = Create(Config(kafka), TimeSpan.FromSeconds(1));
        for (int i = 0; i < 1000; i++)
        {
            producer.Produce(new TopicPartition(Topic, i % 2), new Message<byte[], byte[]> { Value = Value(i) }, reports, i);
        }

        // Some requests are on the wire, unanswered; the rest wait behind them.
        await WaitUntilAsync(() => kafka.ProduceRequests > 0);
        await producer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));

        reports.AssertEachReportedOnce();
        Assert.Equal(1000, reports.FailedCount);
        for (int i = 0; i < 1000; i++)
        {
            // Nothing was written (the broker appended nothing), so no report may claim it was.
            Assert.NotEqual(PersistenceStatus.Persisted, reports.Status[i]);
        }

        Assert.Contains(PersistenceStatus.PossiblyPersisted, reports.Status); // the ones on the wire
        Assert.Empty(kafka.Values(0));
    }

    [Fact]
    public async Task DisposingWithMessagesQueuedDeliversThemAll()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 2);
        var reports = new Reports(5000);
        var producer = Create(Config(kafka), TimeSpan.FromSeconds(60));
        for (int i = 0; i < 5000; i++)
        {
            producer.Produce(new TopicPartition(Topic, i % 2), new Message<byte[], byte[]> { Value = Value(i) }, reports, i);
        }

        await producer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2)); // no Flush: dispose flushes

        reports.AssertEachReportedOnce();
        Assert.Equal(0, reports.FailedCount);
        Assert.Equal(2500, kafka.Values(0).Count);
        Assert.Equal(2500, kafka.Values(1).Count);
    }

    [Fact]
    public async Task DisposingTwiceAndUsingAfterDisposeAreSafe()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 1);
        var producer = new Producer<byte[], byte[]>(Config(kafka));
        await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Value = Value(0) });
        await producer.DisposeAsync();
        await producer.DisposeAsync();
        producer.Dispose();
        var ex = Assert.ThrowsAny<Exception>(() => producer.Produce(Topic, new Message<byte[], byte[]> { Value = Value(1) }));
        Assert.True(ex is ObjectDisposedException or KafkaException, ex.ToString());
        Assert.Contains("dispos", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task NoSocketHandleOrThreadOutlivesACreateProduceDisposeLoop()
    {
        await using var kafka = new IdempotentFakeKafka(Topic, 2);
        await CycleAsync(kafka, 0); // warm-up: runtime, sockets engine, thread pool
        (int fdsBefore, int threadsBefore) = await SettledCountsAsync();
        const int Cycles = 25;
        for (int c = 1; c <= Cycles; c++)
        {
            await CycleAsync(kafka, c);
        }

        (int fdsAfter, int threadsAfter) = await SettledCountsAsync(fdsBefore + 2, threadsBefore + 4);

        // One leaked socket or thread per producer would be 25 more; a little slack covers the runtime's own
        // (the thread pool grows and shrinks on its own schedule).
        Assert.True(fdsAfter <= fdsBefore + 2, $"file descriptors: {fdsBefore} before, {fdsAfter} after {Cycles} producers");
        Assert.True(threadsAfter <= threadsBefore + 4, $"threads: {threadsBefore} before, {threadsAfter} after {Cycles} producers");
    }

    private static async Task CycleAsync(IdempotentFakeKafka kafka, int cycle)
    {
        var reports = new Reports(200);
        await using (var producer = new Producer<byte[], byte[]>(Config(kafka)))
        {
            for (int i = 0; i < 200; i++)
            {
                producer.Produce(new TopicPartition(Topic, i % 2), new Message<byte[], byte[]> { Value = Value(i) }, reports, i);
            }
        }

        reports.AssertEachReportedOnce();
        Assert.True(reports.FailedCount == 0, $"cycle {cycle}: {reports.FailedCount} failed");
    }

    /// <summary>Counts after letting closed sockets and idle pool threads go; polls until at or below the bounds, or 15 s.</summary>
    private static async Task<(int Fds, int Threads)> SettledCountsAsync(int maxFds = int.MaxValue, int maxThreads = int.MaxValue)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            int fds = Directory.GetFiles("/proc/self/fd").Length;
            using var process = Process.GetCurrentProcess();
            int threads = process.Threads.Count;
            if ((fds <= maxFds && threads <= maxThreads) || watch.Elapsed > TimeSpan.FromSeconds(15))
            {
                return (fds, threads);
            }

            await Task.Delay(200);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting");
            await Task.Delay(10);
        }
    }

    private static byte[] Value(int i)
    {
        byte[] value = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(value, i);
        return value;
    }

    private sealed class Reports(int count) : IDeliveryHandler
    {
        private readonly int[] _reports = new int[count];
        private int _failed;

        public PersistenceStatus[] Status { get; } = new PersistenceStatus[count];

        public int FailedCount => Volatile.Read(ref _failed);

        public void OnDelivery(in DeliveryEvent delivery, object? state)
        {
            int i = (int)state!;
            Interlocked.Increment(ref _reports[i]);
            Status[i] = delivery.Status;
            if (delivery.IsError)
            {
                Interlocked.Increment(ref _failed);
            }
        }

        public void AssertEachReportedOnce()
        {
            for (int i = 0; i < _reports.Length; i++)
            {
                Assert.True(_reports[i] == 1, $"message {i} was reported {_reports[i]} times");
            }
        }
    }
}
