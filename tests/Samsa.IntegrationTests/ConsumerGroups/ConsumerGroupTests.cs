using System.Diagnostics;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using static Samsa.IntegrationTests.ConsumerGroups.GroupTestKit;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>
/// Consumer groups through the public <see cref="Consumer{TKey, TValue}"/> (subscribe, rebalance handlers, commits,
/// close) against the test cluster: every member consumes on its own thread and a shared ledger checks that no
/// two members own a partition at once, every message is consumed and each partition's order holds.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConsumerGroupTests(ClusterFixture fixture)
{
    private async Task<(string Topic, string Group)> PrepareAsync(int partitions, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        string topic = UniqueNames.Topic(test);
        await fixture.CreateTopicAsync(topic, partitions);
        if (fixture.SupportsFaultInjection)
        {
            await fixture.Cluster.SetRebalanceDelayAsync(0);
        }

        return (topic, UniqueNames.Group(test));
    }

    [SkippableFact]
    public async Task Three_members_consume_a_million_keyed_messages_from_256_partitions_with_no_gap_no_overlap_and_order_kept()
    {
        const int partitions = 256;
        const int messages = 1_000_000;
        var (topic, group) = await PrepareAsync(partitions);
        Dictionary<TopicPartition, long> counts = KeyedData.Produce(fixture.BootstrapServers, topic, partitions, messages, keys: 4096);
        Assert.Equal(messages, counts.Values.Sum());

        var ledger = new GroupLedger();
        ConsumerConfig config = Config(fixture.BootstrapServers, group, sessionTimeout: TimeSpan.FromSeconds(5), autoCommit: true);
        var watch = Stopwatch.StartNew();
        GroupConsumer[] members = [];
        try
        {
            members = [.. new[] { "a", "b", "c" }.Select(name => new GroupConsumer(name, config, ledger, [topic]))];
            await ConvergedAsync(members, Partitions(topic, partitions), TimeSpan.FromSeconds(60));
            await AllDeliveredAsync(ledger, counts, TimeSpan.FromSeconds(240));
            Console.WriteLine($"consumed {messages:N0} messages ({ledger.Delivered:N0} deliveries) with three members in {watch.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            foreach (GroupConsumer m in members)
            {
                m.Dispose();
            }
        }

        AssertLedger(ledger, counts);
        Assert.All(members, m => Assert.Empty(m.Failures));
        foreach (GroupConsumer m in members)
        {
            Assert.True(ledger.Windows.Where(w => w.Member == m.Name).Sum(w => w.Deliveries.Count) > 0, $"{m.Name} consumed nothing");
        }
    }

    [SkippableFact]
    public async Task Members_join_leave_and_crash_the_others_resume_from_the_committed_offsets_and_cooperative_sticky_revokes_only_what_moves()
    {
        const int partitions = 12;
        const int keys = 480;
        var (topic, group) = await PrepareAsync(partitions);
        TopicPartition[] all = Partitions(topic, partitions);
        Dictionary<TopicPartition, long> counts = KeyedData.Produce(fixture.BootstrapServers, topic, partitions, 24_000, keys);
        ConsumerConfig config = Config(fixture.BootstrapServers, group, "cooperative-sticky", sessionTimeout: TimeSpan.FromSeconds(3));
        var ledger = new GroupLedger();
        var a = new GroupConsumer("a", config, ledger, [topic], commitEvery: 500);
        GroupConsumer? b = null;
        GroupConsumer? c = null;
        HashSet<TopicPartition> victim;
        Dictionary<TopicPartition, long> victimCommits;
        Dictionary<TopicPartition, long> committedAtCrash;
        long crashTicks;
        int aMark;
        try
        {
            await ConvergedAsync([a], all, TimeSpan.FromSeconds(30));
            b = new GroupConsumer("b", config, ledger, [topic], commitEvery: 500);
            await ConvergedAsync([a, b], all, TimeSpan.FromSeconds(30));
            c = new GroupConsumer("c", config, ledger, [topic], commitEvery: 500);
            await ConvergedAsync([a, b, c], all, TimeSpan.FromSeconds(30));
            await AllDeliveredAsync(ledger, counts, TimeSpan.FromSeconds(120));

            // b leaves (Close: revoked handler, LeaveGroup): a and c only gain partitions.
            aMark = a.Rebalances.Length;
            await b.CloseAsync();
            await ConvergedAsync([a, c], all, TimeSpan.FromSeconds(30));

            // c consumes its share of new messages and commits every 500, then dies without LeaveGroup.
            counts = Max(counts, KeyedData.Produce(fixture.BootstrapServers, topic, partitions, 12_000, keys, firstSeq: 50));
            await AllDeliveredAsync(ledger, counts, TimeSpan.FromSeconds(120));
            victim = c.Owned;
            await c.CrashAsync();
            crashTicks = Stopwatch.GetTimestamp();
            victimCommits = c.Committed;
            using (var probe = new Consumer<byte[], byte[]>(new ConsumerConfig { BootstrapServers = fixture.BootstrapServers, GroupId = group }))
            {
                committedAtCrash = probe.Committed(victim, TimeSpan.FromSeconds(30)).ToDictionary(o => o.TopicPartition, o => o.Offset.Value);
            }

            // a takes over c's partitions once the session times out, from the offsets c committed.
            counts = Max(counts, KeyedData.Produce(fixture.BootstrapServers, topic, partitions, 12_000, keys, firstSeq: 75));
            await ConvergedAsync([a], all, TimeSpan.FromSeconds(60));
            await AllDeliveredAsync(ledger, counts, TimeSpan.FromSeconds(120));
        }
        finally
        {
            a.Dispose();
            b?.Dispose();
            c?.Dispose();
        }

        AssertLedger(ledger, counts);
        Assert.Empty(a.Failures);
        Assert.Empty(b!.Failures);
        Assert.Empty(c!.Failures);
        Assert.NotEmpty(victim);
        Assert.NotEmpty(victimCommits); // the crashed member had committed: the takeover must start there
        OwnershipWindow[] windows = ledger.Windows;
        foreach (TopicPartition tp in victim)
        {
            if (victimCommits.TryGetValue(tp, out long mine))
            {
                Assert.Equal(mine, committedAtCrash[tp]);
            }

            OwnershipWindow takeover = windows.Where(w => w.Partition == tp && w.Start > crashTicks).OrderBy(w => w.Start).First();
            Assert.Equal("a", takeover.Member);
            // The mock removes the crashed member when its 3 s session times out, then holds the join phase for
            // session.timeout - 1 s: at least ~4.7 s in all. A clean leave only waits for the join phase (~2 s).
            TimeSpan after = Stopwatch.GetElapsedTime(crashTicks, takeover.Start);
            Assert.True(after >= TimeSpan.FromSeconds(3.5), $"a took {tp} over {after.TotalSeconds:F1} s after the crash, too soon for a session timeout");
            long expectedStart = committedAtCrash[tp] >= 0 ? committedAtCrash[tp] : 0;
            Assert.NotEmpty(takeover.Deliveries);
            Assert.True(takeover.Deliveries[0].Offset == expectedStart,
                $"{tp}: a resumed at {takeover.Deliveries[0].Offset}, the group had committed {committedAtCrash[tp]}");
        }

        // Cooperative: a revocation only ever gives a partition to another member; nothing is lost; after b left,
        // a only gained partitions.
        Assert.DoesNotContain(windows, w => w.ClosedBy == "lost");
        foreach (OwnershipWindow revoked in windows.Where(w => w.ClosedBy == "revoked"))
        {
            OwnershipWindow? next = windows.Where(w => w.Partition == revoked.Partition && w.Start >= revoked.End).OrderBy(w => w.Start).FirstOrDefault();
            Assert.True(next is not null && next.Member != revoked.Member,
                $"{revoked.Member} had {revoked.Partition} revoked but it did not move (next owner: {next?.Member ?? "none"})");
        }

        Assert.DoesNotContain(a.Rebalances.Skip(aMark), r => r.Kind is "revoked" or "lost" && r.Partitions.Length > 0);
    }

    [SkippableFact]
    public async Task A_kip848_group_converges_as_members_join_and_leave_and_consumes_everything()
    {
        const int partitions = 8;
        const int keys = 320;
        var (topic, group) = await PrepareAsync(partitions);
        TopicPartition[] all = Partitions(topic, partitions);
        Dictionary<TopicPartition, long> counts = KeyedData.Produce(fixture.BootstrapServers, topic, partitions, 16_000, keys);
        ConsumerConfig config = Config(fixture.BootstrapServers, group, autoCommit: true, kip848: true);
        var ledger = new GroupLedger();
        var members = new List<GroupConsumer>();
        try
        {
            members.Add(new GroupConsumer("a", config, ledger, [topic]));
            await ConvergedAsync(members, all, TimeSpan.FromSeconds(30));
            members.Add(new GroupConsumer("b", config, ledger, [topic]));
            await ConvergedAsync(members, all, TimeSpan.FromSeconds(30));
            members.Add(new GroupConsumer("c", config, ledger, [topic]));
            await ConvergedAsync(members, all, TimeSpan.FromSeconds(30));
            await AllDeliveredAsync(ledger, counts, TimeSpan.FromSeconds(120));

            await members[1].CloseAsync();
            await ConvergedAsync([members[0], members[2]], all, TimeSpan.FromSeconds(30));
            Assert.NotEmpty(members[0].MemberId);
            counts = Max(counts, KeyedData.Produce(fixture.BootstrapServers, topic, partitions, 8_000, keys, firstSeq: 50));
            await AllDeliveredAsync(ledger, counts, TimeSpan.FromSeconds(120));
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }

        AssertLedger(ledger, counts);
        Assert.All(members, m => Assert.Empty(m.Failures));
        Assert.DoesNotContain(ledger.Windows, w => w.ClosedBy == "lost");
    }

    [SkippableFact]
    public async Task A_subscribed_consumer_rejects_bad_calls_with_clear_errors()
    {
        var (topic, group) = await PrepareAsync(4);
        TopicPartition[] all = Partitions(topic, 4);
        var ledger = new GroupLedger();
        ConsumerConfig config = Config(fixture.BootstrapServers, group);
        using var a = new GroupConsumer("a", config, ledger, [topic]);
        using var b = new GroupConsumer("b", config, ledger, [topic]);
        await ConvergedAsync([a, b], all, TimeSpan.FromSeconds(30));

        // Committing a partition the group gave to another member, or one that does not exist.
        TopicPartition others = b.Owned.First();
        KafkaException notMine = Assert.Throws<KafkaException>(() => a.Consumer.Commit([new TopicPartitionOffset(others, 1)]));
        Assert.Contains("not assigned", notMine.Message, StringComparison.Ordinal);
        Assert.Contains(others.ToString(), notMine.Message, StringComparison.Ordinal);
        Assert.Throws<KafkaException>(() => a.Consumer.Commit([new TopicPartitionOffset(topic, 99, 1)]));

        // Subscribing without group.id, or to an invalid pattern; and any call after close.
        using var lone = new Consumer<byte[], byte[]>(new ConsumerConfig { BootstrapServers = fixture.BootstrapServers });
        Assert.Equal("group.id", Assert.Throws<ConfigException>(() => lone.Subscribe(topic)).Property);
        var grouped = new Consumer<byte[], byte[]>(config);
        ArgumentException regex = Assert.Throws<ArgumentException>(() => grouped.Subscribe("^" + topic + "-(unclosed"));
        Assert.Contains("not a valid regular expression", regex.Message, StringComparison.Ordinal);
        Assert.Empty(grouped.Subscription);
        grouped.Close();
        Assert.Throws<ObjectDisposedException>(() => grouped.Subscribe(topic));
        Assert.Throws<ObjectDisposedException>(() => grouped.Consume(TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => grouped.Commit());
        grouped.Dispose();

        // None of it disturbed the group.
        Assert.Equal(4, a.Owned.Count + b.Owned.Count);
        Assert.Empty(ledger.Violations);
    }
}
