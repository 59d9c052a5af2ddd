using Samsa.Cluster;
using Samsa.Network;
using Samsa.Producer;
using Samsa.Protocol.Records;

namespace Samsa.Tests.Producer;

/// <summary>
/// The producer's batch pool: bounded in bytes (what its free batches' buffers hold), oversize batches not kept,
/// idle batches released, and still reused so that steady-state producing allocates nothing.
/// </summary>
public sealed class BatchPoolTests
{
    private static readonly PartitionState Partition = new("t", 0);
    private static readonly TimeSpan Never = TimeSpan.FromDays(1);
    private const int Messages = 20_000;

    [Theory]
    [InlineData(1024L * 1024 * 1024, 32L * 1024 * 1024)] // default queue.buffering.max.kbytes: capped at 32 MiB
    [InlineData(256L * 1024 * 1024, 16L * 1024 * 1024)] // 1/16
    [InlineData(16L * 1024 * 1024, 1024L * 1024)]
    [InlineData(1024L * 1024, 256L * 1024)] // floor: room for a few batches
    [InlineData(long.MaxValue, 32L * 1024 * 1024)]
    public void The_cap_is_a_sixteenth_of_the_queue_between_256_KiB_and_32_MiB(long queueMaxBytes, long expected) =>
        Assert.Equal(expected, BatchPool.CapFor(queueMaxBytes));

    [Theory]
    [InlineData(1_000_000, 1 << 20)] // default batch.size: batches grow to 1 MiB arrays
    [InlineData(16_384, 32 * 1024)] // a power of two: one growth step of slack
    [InlineData(100_000, 128 * 1024)]
    [InlineData(1, 16 * 1024)] // never below the initial buffer
    public void A_batch_is_kept_up_to_the_buffer_a_batch_size_batch_needs(int batchSize, int expected) =>
        Assert.Equal(expected, BatchPool.BatchCapacityFor(batchSize));

    [Fact]
    public void The_producer_pool_follows_batch_size_message_max_bytes_and_the_queue()
    {
        using BatchPool pool = BatchPool.For(new ProducerSettings { BatchSize = 1_000_000, MessageMaxBytes = 100_000, QueueMaxBytes = 64L * 1024 * 1024 });
        Assert.Equal(4L * 1024 * 1024, pool.CapBytes);
        Assert.Equal(128 * 1024, pool.MaxBatchCapacity);
    }

    [Fact]
    public void The_pool_never_holds_more_bytes_than_its_cap()
    {
        const long Cap = 300 * 1024;
        using var pool = new BatchPool(Cap, 1 << 20, Never);
        var batches = new List<ProducerBatch>();
        for (int i = 0; i < 64; i++)
        {
            // Mixed sizes: 16 KiB batches and batches grown to 64 KiB.
            batches.Add(Filled(pool, i % 3 == 0 ? 40_000 : 1_000));
        }

        long sum = 0;
        foreach (ProducerBatch batch in batches)
        {
            pool.Return(batch);
            Assert.InRange(pool.PooledBytes, 0, Cap);
        }

        // What it counts is what it holds: take everything back and add it up.
        int count = pool.Count;
        Assert.InRange(count, 4, 63); // some kept, not all 64
        var taken = new List<ProducerBatch>();
        for (int i = 0; i < count; i++)
        {
            ProducerBatch batch = pool.Rent();
            Assert.Contains(batch, batches);
            sum += batch.RetainedBytes;
            taken.Add(batch);
        }

        Assert.InRange(sum, Cap - (80 * 1024), Cap);
        Assert.Equal(0, pool.PooledBytes);
        Assert.Equal(0, pool.Count);
        Assert.DoesNotContain(pool.Rent(), batches); // empty: a new batch
    }

    [Fact]
    public async Task The_cap_holds_under_concurrent_rent_and_return()
    {
        const long Cap = 512 * 1024;
        using var pool = new BatchPool(Cap, 1 << 20, Never);
        long worst = 0;
        using var done = new CancellationTokenSource();
        Task watcher = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                long now = pool.PooledBytes;
                if (now > Interlocked.Read(ref worst))
                {
                    Interlocked.Exchange(ref worst, now);
                }
            }
        });
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            var mine = new List<ProducerBatch>();
            for (int round = 0; round < 200; round++)
            {
                for (int i = 0; i < 20; i++)
                {
                    mine.Add(Filled(pool, (i + worker) % 4 == 0 ? 30_000 : 500));
                }

                foreach (ProducerBatch batch in mine)
                {
                    pool.Return(batch);
                }

                mine.Clear();
            }
        });
        await done.CancelAsync();
        await watcher;

        // A Return adds its bytes before checking them, so a watcher may glimpse one batch over; never more.
        Assert.InRange(worst, 0, Cap + (4 * 70 * 1024));
        Assert.InRange(pool.PooledBytes, 0, Cap);
        long counted = pool.PooledBytes, sum = 0;
        int count = pool.Count;
        for (int i = 0; i < count; i++)
        {
            sum += pool.Rent().RetainedBytes;
        }

        Assert.Equal(counted, sum); // what it counted is exactly what it held
        Assert.Equal(0, pool.PooledBytes);
    }

    [Fact]
    public void A_batch_grown_past_batch_size_is_not_kept()
    {
        using var pool = new BatchPool(32L * 1024 * 1024, BatchPool.BatchCapacityFor(16_384), Never);
        ProducerBatch big = Filled(pool, 100_000); // one record larger than batch.size: always taken, alone
        Assert.True(big.LargestBufferCapacity > pool.MaxBatchCapacity);
        pool.Return(big);
        Assert.Equal(0, pool.Count);
        Assert.Equal(0, pool.PooledBytes);

        ProducerBatch normal = Filled(pool, 10_000);
        Assert.NotSame(big, normal);
        pool.Return(normal);
        Assert.Equal(1, pool.Count);
        Assert.Same(normal, pool.Rent());
    }

    [Fact]
    public void Batches_unused_for_a_whole_interval_are_released_and_used_ones_kept()
    {
        using var pool = new BatchPool(32L * 1024 * 1024, 1 << 20, TimeSpan.FromSeconds(1));
        long t = Environment.TickCount64 + 1_000;
        Assert.Equal(0, pool.Trim(t - 2_000)); // not due yet

        var batches = Enumerable.Range(0, 10).Select(_ => Filled(pool, 1_000)).ToList();
        batches.ForEach(pool.Return);
        Assert.Equal(0, pool.Trim(t)); // the first interval: nothing was known to be idle through it
        Assert.Equal(10, pool.Count);

        // Demand for 3 at once during the next interval: 7 sat unused throughout.
        var inUse = new List<ProducerBatch> { Filled(pool, 1_000), Filled(pool, 1_000), Filled(pool, 1_000) };
        inUse.ForEach(pool.Return);
        Assert.Equal(0, pool.Trim(t + 500)); // not due: at most once an interval
        Assert.Equal(7, pool.Trim(t + 1_000));
        Assert.Equal(3, pool.Count);

        // Steady demand for 3 keeps them.
        inUse = [Filled(pool, 1_000), Filled(pool, 1_000), Filled(pool, 1_000)];
        inUse.ForEach(pool.Return);
        Assert.Equal(0, pool.Trim(t + 2_000));
        Assert.Equal(3, pool.Count);

        // No demand: the rest goes.
        Assert.Equal(3, pool.Trim(t + 3_000));
        Assert.Equal(0, pool.Count);
        Assert.Equal(0, pool.PooledBytes);
    }

    [Fact]
    public void Renting_and_returning_allocates_nothing_once_warm()
    {
        using var pool = new BatchPool(32L * 1024 * 1024, 1 << 20, Never);
        var held = new ProducerBatch[16];
        void Cycle()
        {
            for (int i = 0; i < held.Length; i++)
            {
                held[i] = pool.Rent();
                held[i].Start(Partition, 0, 60_000);
            }

            for (int i = 0; i < held.Length; i++)
            {
                pool.Return(held[i]);
            }
        }

        Cycle();
        Cycle();
        ProducerBatch[] first = [.. held];
        Assert.Equal(0, AllocationMeter.Fewest(() =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                Cycle();
            }
        }));
        Assert.Equal(16, pool.Count);
        Assert.All(held, b => Assert.Contains(b, first)); // the same 16 batches, reused
    }

    [Fact]
    public async Task Steady_state_reuses_batches_and_appends_allocate_nothing()
    {
        var settings = new ProducerSettings { QueueMaxMessages = int.MaxValue, QueueMaxBytes = long.MaxValue };
        using BatchPool pool = BatchPool.For(settings);
        var cluster = new KafkaCluster(new ClusterOptions { BootstrapServers = [new BrokerAddress("127.0.0.1", 9)] });
        try
        {
            using var accumulator = new ProducerAccumulator(settings, cluster, pool, static () => { });
            TopicState topic = accumulator.GetTopic("pool");
            var partitions = new PartitionInfo[8];
            for (int p = 0; p < partitions.Length; p++)
            {
                partitions[p] = new PartitionInfo(p, 1, 0, [1], [1], [], ErrorCode.None);
            }

            topic.Apply(new TopicInfo("pool", Guid.NewGuid(), false, ErrorCode.None, partitions));
            byte[] value = new byte[100];
            byte[][] keys = Enumerable.Range(0, 256).Select(i => System.Text.Encoding.UTF8.GetBytes("key-" + i)).ToArray();
            void Round()
            {
                for (int i = 0; i < Messages; i++)
                {
                    accumulator.TryReserve(124);
                    accumulator.TryAppend(topic, -1, 1_700_000_000_000, keys[i & 255], false, value, false, default, null, null, 124);
                }

                DeliverAll(accumulator, topic, pool);
            }

            for (int i = 0; i < 5; i++)
            {
                Round(); // warm: batches grown, JIT tiers
            }

            int pooled = pool.Count;
            Assert.InRange(pooled, 1, 64);
            // Per message nothing; per batch the accumulator allocates a little outside the pool (~136 B: a
            // LinkedListNode when the batch closes, and more), so the bound is per message, as the benchmark reports.
            long allocated = AllocationMeter.Fewest(Round);
            Assert.Equal(0, allocated / Messages);
            Assert.Equal(pooled, pool.Count); // the same batches went round again
            Assert.InRange(pool.PooledBytes, 1, pool.CapBytes);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>What the sender and delivery loop do: every batch goes back to the pool once delivered.</summary>
    private static void DeliverAll(ProducerAccumulator accumulator, TopicState topic, BatchPool pool)
    {
        foreach (PartitionState ps in topic.Partitions)
        {
            lock (ps.Lock)
            {
                ps.CloseOpen();
                while (ps.TryTakeReady(out ProducerBatch? batch))
                {
                    accumulator.Release(batch.Count, batch.AccountedBytes);
                    pool.Return(batch);
                }
            }
        }
    }

    /// <summary>A rented batch holding about <paramref name="bytes"/> of record data (its buffer grown to fit).</summary>
    private static ProducerBatch Filled(BatchPool pool, int bytes)
    {
        ProducerBatch batch = pool.Rent();
        batch.Start(Partition, Environment.TickCount64, 60_000);
        Assert.True(batch.TryAppend(0, default, true, new byte[bytes], false, default, int.MaxValue, null, null));
        return batch;
    }
}
