using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using static Samsa.IntegrationTests.ConsumerGroups.GroupTestKit;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>
/// One group of public Samsa consumers and Confluent.Kafka (librdkafka) consumers, all consuming: each side's
/// assignor must read the other's subscriptions and assignments, and together they consume every message
/// with no partition owned twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MixedConsumerGroupTests(ClusterFixture fixture)
{
    [SkippableTheory]
    [InlineData("range")]
    [InlineData("cooperative-sticky")]
    public async Task Samsa_and_librdkafka_members_split_the_partitions_with_no_overlap_and_no_gap(string assignor)
    {
        Librdkafka.LoadForConfluentKafka();
        const int partitions = 8;
        const int keys = 320;
        string topic = UniqueNames.Topic("mixed-" + assignor);
        string group = UniqueNames.Group("mixed-" + assignor);
        await fixture.CreateTopicAsync(topic, partitions);
        if (fixture.SupportsFaultInjection)
        {
            await fixture.Cluster.SetRebalanceDelayAsync(0);
        }

        TopicPartition[] all = Partitions(topic, partitions);
        Dictionary<TopicPartition, long> counts = KeyedData.Produce(fixture.BootstrapServers, topic, partitions, 16_000, keys);
        ConsumerConfig config = Config(fixture.BootstrapServers, group, assignor, autoCommit: true);
        var ledger = new GroupLedger();
        var samsa = new List<GroupConsumer>();
        var librdkafka = new List<LibrdkafkaGroupConsumer>();
        List<HashSet<TopicPartition>> settled;
        try
        {
            samsa.Add(new GroupConsumer("samsa-1", config, ledger, [topic]));
            librdkafka.Add(new LibrdkafkaGroupConsumer("librdkafka-1", fixture.BootstrapServers, group, assignor, ledger, topic));
            await ConvergedAsync([.. samsa, .. librdkafka], all, TimeSpan.FromSeconds(60));
            samsa.Add(new GroupConsumer("samsa-2", config, ledger, [topic]));
            librdkafka.Add(new LibrdkafkaGroupConsumer("librdkafka-2", fixture.BootstrapServers, group, assignor, ledger, topic));
            IGroupMemberView[] everyone = [.. samsa, .. librdkafka];
            await ConvergedAsync(everyone, all, TimeSpan.FromSeconds(60));
            await AllDeliveredAsync(ledger, counts, TimeSpan.FromSeconds(120));

            // New messages once the group settled: each member consumes its own share.
            counts = Max(counts, KeyedData.Produce(fixture.BootstrapServers, topic, partitions, 8_000, keys, firstSeq: 50));
            await AllDeliveredAsync(ledger, counts, TimeSpan.FromSeconds(120));
            await ConvergedAsync(everyone, all, TimeSpan.FromSeconds(60));
            settled = [.. everyone.Select(m => m.Owned)];
        }
        finally
        {
            samsa.ForEach(m => m.Dispose());
            librdkafka.ForEach(m => m.Dispose());
        }

        AssertLedger(ledger, counts);
        Assert.All(samsa, m => Assert.Empty(m.Failures));
        Assert.All(librdkafka, m => Assert.Empty(m.Failures));
        Assert.All(settled, owned => Assert.Equal(2, owned.Count)); // 8 partitions, 4 members: both assignors balance
        Assert.DoesNotContain(ledger.Windows, w => w.ClosedBy == "lost");
        foreach (string member in new[] { "samsa-1", "samsa-2", "librdkafka-1", "librdkafka-2" })
        {
            Assert.True(ledger.Windows.Where(w => w.Member == member).Sum(w => w.Deliveries.Count) > 0, $"{member} consumed nothing");
        }
    }
}
