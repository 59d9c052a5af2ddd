using System.Buffers.Binary;
using System.Diagnostics;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using static Samsa.IntegrationTests.Consumer.ConsumerIntegrationKit;

namespace Samsa.IntegrationTests.Consumer;

/// <summary>Samsa's consumer against the test cluster, assign-only (the group membership engine is separate).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConsumerIntegrationTests(ClusterFixture fixture)
{
    [SkippableFact]
    public async Task Consumes_every_message_exactly_once_in_order_per_partition()
    {
        string topic = UniqueNames.Topic();
        const int partitions = 64;
        const int perPartition = 3125;
        await fixture.CreateTopicAsync(topic, partitions);
        var watch = Stopwatch.StartNew();
        ProduceWithLibrdkafka(fixture, topic, partitions, perPartition);
        TimeSpan produced = watch.Elapsed;

        watch.Restart();
        using var consumer = new Consumer<Null?, byte[]>(Config(fixture) with { EnablePartitionEof = true });
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        int[] next = new int[partitions];
        int received = 0;
        int eofs = 0;
        var deadline = Stopwatch.StartNew();
        while ((received < partitions * perPartition || eofs < partitions) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (!consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.FromMilliseconds(200)))
            {
                continue;
            }

            if (r.IsPartitionEof)
            {
                if (r.Offset == perPartition)
                {
                    eofs++;
                }

                continue;
            }

            int p = BinaryPrimitives.ReadInt32BigEndian(r.Value.Span);
            int seq = BinaryPrimitives.ReadInt32BigEndian(r.Value.Span[4..]);
            Assert.Equal(r.Partition, p);
            Assert.True(seq == next[p], $"partition {p}: got sequence {seq} at offset {r.Offset}, expected {next[p]}");
            Assert.Equal(seq, r.Offset);
            next[p]++;
            received++;
        }

        Console.WriteLine($"produced {partitions * perPartition} in {produced.TotalSeconds:F1}s; consumed in {watch.Elapsed.TotalSeconds:F1}s");
        Assert.Equal(partitions * perPartition, received);
        Assert.All(next, n => Assert.Equal(perPartition, n));
        Assert.Equal(partitions, eofs);
        Assert.False(consumer.TryConsumeRaw(out _, TimeSpan.FromMilliseconds(300)));
    }

    [SkippableFact]
    public async Task Seek_pause_and_resume()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 2);
        await ProduceAsync(fixture, topic, 2, 20);
        using var consumer = new Consumer<Null?, byte[]>(Config(fixture));
        var p0 = new TopicPartition(topic, 0);
        var p1 = new TopicPartition(topic, 1);
        consumer.Assign([new TopicPartitionOffset(p0, 0), new TopicPartitionOffset(p1, 0)]);
        consumer.Pause([p1]);
        List<ConsumeResult<Null?, byte[]>> first = Consume(consumer, 20);
        Assert.Equal(Enumerable.Range(0, 20), Sequences(first));
        Assert.All(first, r => Assert.Equal(0, r.Partition));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));

        consumer.Seek(new TopicPartitionOffset(p0, 15));
        consumer.Resume([p1]);
        List<ConsumeResult<Null?, byte[]>> rest = Consume(consumer, 25);
        Assert.Equal(Enumerable.Range(15, 5), Sequences(rest.Where(r => r.Partition == 0)));
        Assert.Equal(Enumerable.Range(0, 20), Sequences(rest.Where(r => r.Partition == 1)));
        Assert.Equal(20, consumer.Position(p0).Value);
        Assert.Equal(20, consumer.Position(p1).Value);
    }

    [SkippableTheory]
    [InlineData(AutoOffsetReset.Earliest)]
    [InlineData(AutoOffsetReset.Latest)]
    [InlineData(AutoOffsetReset.Error)]
    public async Task Auto_offset_reset(AutoOffsetReset reset)
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        await ProduceAsync(fixture, topic, 1, 10);
        var tp = new TopicPartition(topic, 0);
        using var consumer = new Consumer<Null?, byte[]>(Config(fixture) with { AutoOffsetReset = reset });
        consumer.Assign(new TopicPartitionOffset(tp, 1000));
        switch (reset)
        {
            case AutoOffsetReset.Earliest:
                Assert.Equal(Enumerable.Range(0, 10), Sequences(Consume(consumer, 10)));
                break;
            case AutoOffsetReset.Latest:
                Assert.Null(consumer.Consume(TimeSpan.FromSeconds(1)));
                Assert.Equal(10, consumer.Position(tp).Value);
                await ProduceAsync(fixture, topic, 1, 1);
                ConsumeResult<Null?, byte[]> r = Assert.Single(Consume(consumer, 1));
                Assert.Equal(10, r.Offset.Value);
                break;
            default:
                ConsumeException ex = Assert.Throws<ConsumeException>(() => consumer.Consume(TimeSpan.FromSeconds(10)));
                Assert.Equal(ErrorCode.LocalAutoOffsetReset, ex.Error);
                Assert.Contains(topic, ex.Message, StringComparison.Ordinal);
                consumer.Seek(new TopicPartitionOffset(tp, 8));
                Assert.Equal([8, 9], Sequences(Consume(consumer, 2)));
                break;
        }
    }

    [SkippableFact]
    public async Task Watermarks_and_partition_eof()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 2);
        await ProduceAsync(fixture, topic, 1, 7);
        var p0 = new TopicPartition(topic, 0);
        var p1 = new TopicPartition(topic, 1);
        using var consumer = new Consumer<Null?, byte[]>(Config(fixture) with { EnablePartitionEof = true });
        Assert.Equal(new WatermarkOffsets(0, 7), consumer.QueryWatermarkOffsets(p0, TimeSpan.FromSeconds(10)));
        Assert.Equal(new WatermarkOffsets(0, 0), await consumer.QueryWatermarkOffsetsAsync(p1));
        Assert.Equal(new WatermarkOffsets(Offset.Unset, Offset.Unset), consumer.GetWatermarkOffsets(p0));

        consumer.Assign([new TopicPartitionOffset(p0, 0), new TopicPartitionOffset(p1, 0)]);
        var events = new List<string>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3) && events.Count(e => e.StartsWith("eof", StringComparison.Ordinal)) < 2)
        {
            ConsumeResult<Null?, byte[]>? r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not null)
            {
                events.Add(r.IsPartitionEOF ? $"eof {r.Partition}@{r.Offset}" : $"msg {r.Partition}@{r.Offset}");
            }
        }

        Assert.Contains("eof 0@7", events);
        Assert.Contains("eof 1@0", events);
        Assert.Equal(7, events.Count(e => e.StartsWith("msg 0@", StringComparison.Ordinal)));
        Assert.Equal(new WatermarkOffsets(0, 7), consumer.GetWatermarkOffsets(p0));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(500)));

        await ProduceAsync(fixture, topic, 2, 1);
        var after = new List<string>();
        watch.Restart();
        while (watch.Elapsed < TimeSpan.FromSeconds(3) && after.Count < 4)
        {
            ConsumeResult<Null?, byte[]>? r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not null)
            {
                after.Add(r.IsPartitionEOF ? $"eof {r.Partition}@{r.Offset}" : $"msg {r.Partition}@{r.Offset}");
            }
        }

        Assert.Equal(["eof 0@8", "eof 1@1", "msg 0@7", "msg 1@0"], after.Order(StringComparer.Ordinal));
        Assert.Equal(new WatermarkOffsets(0, 8), consumer.GetWatermarkOffsets(p0));
    }

    [SkippableFact]
    public async Task Commit_and_committed_round_trip_with_assign_and_group_id()
    {
        string topic = UniqueNames.Topic();
        string group = UniqueNames.Group();
        await fixture.CreateTopicAsync(topic, 2);
        await ProduceAsync(fixture, topic, 2, 10);
        var p0 = new TopicPartition(topic, 0);
        var p1 = new TopicPartition(topic, 1);
        using (var consumer = new Consumer<Null?, byte[]>(Config(fixture, group)))
        {
            Assert.Equal([Offset.Unset, Offset.Unset], consumer.Committed([p0, p1], TimeSpan.FromSeconds(10)).Select(o => o.Offset));
            consumer.Assign([new TopicPartitionOffset(p0, Offset.Beginning), new TopicPartitionOffset(p1, Offset.Beginning)]);
            List<ConsumeResult<Null?, byte[]>> got = Consume(consumer, 20);
            Assert.Equal(20, got.Count);
            consumer.Commit(got.Last(r => r.Partition == 0 && r.Offset.Value == 3));
            Assert.Equal(4, consumer.Committed([p0], TimeSpan.FromSeconds(10)).Single().Offset.Value);
            List<TopicPartitionOffset> all = consumer.Commit();
            Assert.Equal([10L, 10L], all.OrderBy(o => o.Partition).Select(o => o.Offset.Value));
            List<TopicPartitionOffset> read = await consumer.CommittedAsync([p0, p1]);
            Assert.Equal([10L, 10L], read.OrderBy(o => o.Partition).Select(o => o.Offset.Value));
            await consumer.CommitAsync([new TopicPartitionOffset(p1, 6)]);
        }

        // Another consumer of the group starts where the group committed.
        await ProduceAsync(fixture, topic, 2, 1);
        using var next = new Consumer<Null?, byte[]>(Config(fixture, group));
        next.Assign([p0, p1]);
        List<ConsumeResult<Null?, byte[]>> resumed = Consume(next, 6);
        Assert.Equal([10L], resumed.Where(r => r.Partition == 0).Select(r => r.Offset.Value));
        Assert.Equal([6L, 7, 8, 9, 10], resumed.Where(r => r.Partition == 1).Select(r => r.Offset.Value));
    }

    [SkippableFact]
    public async Task Offsets_for_times_is_a_clear_error_on_the_mock()
    {
        Skip.If(fixture.IsExternal, "A real cluster answers offsets by timestamp.");
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        await ProduceAsync(fixture, topic, 1, 3);
        using var consumer = new Consumer<Null?, byte[]>(Config(fixture));
        var when = new Timestamp(DateTimeOffset.UtcNow.AddMinutes(-5));
        KafkaException ex = Assert.ThrowsAny<KafkaException>(() => consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, when)], TimeSpan.FromSeconds(10)));
        Assert.Contains(topic, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.LocalUnsupportedFeature, ex.Error);
        Assert.Contains("does not support looking up offsets by timestamp", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Bad_input_gets_clear_errors()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 2);
        var consumer = new Consumer<Null?, byte[]>(Config(fixture, UniqueNames.Group()));
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        Assert.Throws<ArgumentOutOfRangeException>(() => consumer.Consume(TimeSpan.FromSeconds(-1)));
        KafkaException unassigned = Assert.Throws<KafkaException>(() => consumer.Commit([new TopicPartitionOffset(topic, 1, 5)]));
        Assert.Contains("not assigned", unassigned.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.LocalNoOffset, Assert.Throws<KafkaException>(() => consumer.Commit()).Error);
        consumer.Close();
        Assert.Throws<ObjectDisposedException>(() => consumer.Consume(TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => consumer.Commit());
        consumer.Dispose();
    }
}
