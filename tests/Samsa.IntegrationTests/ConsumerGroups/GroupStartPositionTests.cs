using System.Diagnostics;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using static Samsa.IntegrationTests.Consumer.ConsumerIntegrationKit;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>
/// Where a subscribed consumer starts when its group has no committed offsets (auto.offset.reset latest and
/// error), or when its assigned handler chooses; partition EOF and pause/resume under a subscription. The
/// assign-mode equivalents are in ConsumerIntegrationTests.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupStartPositionTests(ClusterFixture fixture)
{
    private ConsumerConfig Config(string group, AutoOffsetReset reset) => new()
    {
        BootstrapServers = fixture.BootstrapServers,
        GroupId = group,
        AutoOffsetReset = reset,
        EnableAutoCommit = false,
        FetchWaitMax = TimeSpan.FromMilliseconds(100),
        RetryBackoff = TimeSpan.FromMilliseconds(50),
        SessionTimeout = TimeSpan.FromSeconds(4),
        HeartbeatInterval = TimeSpan.FromMilliseconds(300),
    };

    private static void PollUntil(IConsumer<Null?, byte[]> consumer, Func<bool> done, Action<ConsumeResult<Null?, byte[]>> seen, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"Timed out waiting for {what}.");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } r)
            {
                seen(r);
            }
        }
    }

    [SkippableFact]
    public async Task Subscribed_consumers_start_where_auto_offset_reset_or_the_assigned_handler_says()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 2);
        if (fixture.SupportsFaultInjection)
        {
            await fixture.Cluster.SetRebalanceDelayAsync(0);
        }

        await ProduceAsync(fixture, topic, 2, 10);

        // latest: a new group starts at the end: partition EOF at 10 for both, nothing old, then only what is new.
        using (var latest = new Consumer<Null?, byte[]>(Config(UniqueNames.Group("latest"), AutoOffsetReset.Latest) with { EnablePartitionEof = true }))
        {
            latest.Subscribe(topic);
            var eofs = new SortedSet<string>(StringComparer.Ordinal);
            PollUntil(latest, () => eofs.Count == 2, r =>
            {
                Assert.True(r.IsPartitionEOF, $"consumed {r.Partition}@{r.Offset} though the group starts at the end");
                eofs.Add($"{r.Partition}@{r.Offset.Value}");
            }, "both partitions' EOF");
            Assert.Equal(["0@10", "1@10"], eofs);

            await ProduceAsync(fixture, topic, 2, 1);
            List<ConsumeResult<Null?, byte[]>> fresh = Consume(latest, 2, TimeSpan.FromSeconds(30));
            Assert.Equal(["0@10", "1@10"], fresh.Select(r => $"{r.Partition}@{r.Offset.Value}").Order(StringComparer.Ordinal));
        }

        // error: a new group gets a clear error per partition, naming it; a seek makes the partition consumable.
        using (var strict = new Consumer<Null?, byte[]>(Config(UniqueNames.Group("error"), AutoOffsetReset.Error)))
        {
            strict.Subscribe(topic);
            var failed = new Dictionary<int, ConsumeException>();
            var watch = Stopwatch.StartNew();
            while (failed.Count < 2)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"Timed out waiting for both partitions' reset errors ({failed.Count} so far).");
                try
                {
                    ConsumeResult<Null?, byte[]>? r = strict.Consume(TimeSpan.FromMilliseconds(100));
                    Assert.Null(r);
                }
                catch (ConsumeException ex)
                {
                    Assert.Equal(ErrorCode.LocalAutoOffsetReset, ex.Error);
                    Assert.NotNull(ex.TopicPartitionOffset);
                    Assert.Contains(ex.TopicPartitionOffset.Value.TopicPartition.ToString(), ex.Message, StringComparison.Ordinal);
                    failed[ex.TopicPartitionOffset.Value.Partition] = ex;
                }
            }

            strict.Seek(new TopicPartitionOffset(topic, 1, 9));
            ConsumeResult<Null?, byte[]> sought = Assert.Single(Consume(strict, 1, TimeSpan.FromSeconds(30)));
            Assert.Equal((1, 9L), (sought.Partition, sought.Offset.Value));
        }

        // The assigned handler chooses: partition 0 from offset 7, partition 1 from the end.
        var handlerSaw = new List<string>();
        using (var chosen = new ConsumerBuilder<Null?, byte[]>(Config(UniqueNames.Group("handler"), AutoOffsetReset.Earliest))
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                handlerSaw.AddRange(partitions.Select(p => p.ToString()));
                return partitions.Select(p => new TopicPartitionOffset(p, p.Partition == 0 ? new Offset(7) : Offset.End));
            })
            .Build())
        {
            chosen.Subscribe(topic);
            List<ConsumeResult<Null?, byte[]>> got = Consume(chosen, 4, TimeSpan.FromSeconds(30));
            Assert.Equal(2, handlerSaw.Count);
            Assert.Equal(["0@7", "0@8", "0@9", "0@10"], got.Select(r => $"{r.Partition}@{r.Offset.Value}"));
            Assert.Null(chosen.Consume(TimeSpan.FromMilliseconds(500))); // partition 1 started at its end

            // pause/resume under a subscription: a paused partition delivers nothing new until resumed.
            var p1 = new TopicPartition(topic, 1);
            chosen.Pause([p1]);
            await ProduceAsync(fixture, topic, 2, 1);
            ConsumeResult<Null?, byte[]> only = Assert.Single(Consume(chosen, 2, TimeSpan.FromSeconds(3)));
            Assert.Equal((0, 11L), (only.Partition, only.Offset.Value));
            chosen.Resume([p1]);
            ConsumeResult<Null?, byte[]> resumed = Assert.Single(Consume(chosen, 1, TimeSpan.FromSeconds(30)));
            Assert.Equal((1, 11L), (resumed.Partition, resumed.Offset.Value));
        }
    }
}
