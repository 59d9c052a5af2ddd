using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Samsa.Cluster;
using Samsa.Consumer;
using Samsa.Protocol;
using Samsa.TestSupport;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

/// <summary>
/// The background search for start offsets (committed offsets, earliest/latest) must never leave a partition
/// waiting forever and must not let one broker's trouble hold back partitions led by the others (issue 8: a
/// consumer through network chaos stalled with partitions never started).
/// </summary>
public sealed class OffsetResolverTests
{
    [Fact]
    public async Task A_leader_that_never_answers_ListOffsets_holds_back_only_its_own_partitions()
    {
        await using var kafka = new FakeKafka(brokers: 2);
        kafka.CreateTopic("s", 2, p => p + 1);
        kafka.Change("s", 0, l => l.Append(3));
        kafka.Change("s", 1, l => l.Append(3));
        kafka.Intercept = (node, request) => node == 2 && request.ApiKey == ApiKey.ListOffsets ? new FakeReply.Silence() : null;
        using Consumer<string, string> consumer = Create(Config(kafka) with { RequestTimeout = TimeSpan.FromSeconds(6) });
        consumer.Assign([new TopicPartitionOffset("s", 0, Offset.Beginning), new TopicPartitionOffset("s", 1, Offset.Beginning)]);

        // Partition 0's leader answers at once: its records come long before broker 2's lookup times out.
        var watch = Stopwatch.StartNew();
        List<ConsumeResult<string, string>> got = ConsumeMessages(consumer, 3, TimeSpan.FromSeconds(4));
        Assert.Equal([0L, 1, 2], Offsets(got));
        Assert.All(got, r => Assert.Equal(0, r.Partition));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"partition 0 waited {watch.Elapsed.TotalSeconds:F1} s for broker 2");

        // Broker 2 answers again: partition 1 starts too.
        kafka.Intercept = null;
        got = ConsumeMessages(consumer, 3, TimeSpan.FromSeconds(20));
        Assert.Equal([0L, 1, 2], Offsets(got));
        Assert.All(got, r => Assert.Equal(1, r.Partition));
    }

    [Fact]
    public async Task A_committed_offset_lookup_that_throws_an_unexpected_exception_is_retried_and_reported_not_fatal_to_the_resolver()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("c", 2);
        ConsumerConfig config = Config(kafka, groupId: "g") with { ClientId = "resolver-test" };
        await using var cluster = new KafkaCluster(ClientSettings.Cluster(config, NullLogger.Instance));
        ConsumerSettings settings = ClientSettings.Consumer(config);
        int calls = 0;
        CommittedLookup lookup = (partitions, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("a bug in the committed-offset lookup")
            : ValueTask.FromResult<IReadOnlyList<TopicPartitionOffset>>([.. partitions.Select(tp => new TopicPartitionOffset(tp, 7))]);
        await using var fetcher = new Fetcher(settings, cluster, new OffsetLookup(cluster, settings.RetryBackoff), lookup, NullLogger.Instance);

        fetcher.Add([new TopicPartitionOffset("c", 0, Offset.Unset)]);
        await WaitUntilAsync(() => fetcher.Find(new TopicPartition("c", 0))!.State == FetchState.Fetching, "partition 0 to get its committed offset after the failed lookup");
        Assert.Equal(7, fetcher.Find(new TopicPartition("c", 0))!.FetchOffset);
        Assert.True(fetcher.TryTakeError(out KafkaException error), "the unexpected failure was not reported");
        Assert.Contains("a bug in the committed-offset lookup", error.Message, StringComparison.Ordinal);

        // The resolver is still alive for what comes later.
        fetcher.Add([new TopicPartitionOffset("c", 1, Offset.Unset)]);
        await WaitUntilAsync(() => fetcher.Find(new TopicPartition("c", 1))!.State == FetchState.Fetching, "partition 1 assigned after the failure to get its committed offset");
    }

    [Fact]
    public async Task A_partition_whose_start_offset_keeps_failing_is_reported_to_the_application_not_a_silent_stall()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("f", 1);
        kafka.Change("f", 0, l => l.Append(2));
        kafka.Intercept = (_, request) => request.ApiKey == ApiKey.ListOffsets ? new FakeReply.Close() : null;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<KafkaException>();
        using IConsumer<string, string> consumer = new ConsumerBuilder<string, string>(Config(kafka) with { RequestTimeout = TimeSpan.FromMilliseconds(300) })
            .SetErrorHandler((_, e) => errors.Enqueue(e))
            .Build();
        consumer.Assign(new TopicPartitionOffset("f", 0, Offset.Beginning));

        var watch = Stopwatch.StartNew();
        while (!errors.Any(e => e.Message.Contains("f [0] cannot start", StringComparison.Ordinal)) && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(100)));
        }

        KafkaException reported = Assert.Single(errors, e => e.Message.Contains("f [0] cannot start", StringComparison.Ordinal));
        Assert.Contains("failed 10 times in a row", reported.Message, StringComparison.Ordinal);

        // Once the broker answers, the partition starts.
        kafka.Intercept = null;
        Assert.Equal([0L, 1], Offsets(ConsumeMessages(consumer, 2, TimeSpan.FromSeconds(20))));
    }
}
