using System.Diagnostics;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>Configuration, waiting and the ledger's assertions shared by the consumer-group tests.</summary>
internal static class GroupTestKit
{
    /// <summary>A group member's configuration: reads from the start, manual commits unless told otherwise.</summary>
    public static ConsumerConfig Config(string bootstrap, string group, string? assignors = null, TimeSpan? sessionTimeout = null,
        bool autoCommit = false, bool kip848 = false)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            GroupProtocol = kip848 ? GroupProtocol.Consumer : GroupProtocol.Classic,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = autoCommit,
            AutoCommitInterval = TimeSpan.FromSeconds(1),
            FetchWaitMax = TimeSpan.FromMilliseconds(100),
            RetryBackoff = TimeSpan.FromMilliseconds(50),
            RetryBackoffMax = TimeSpan.FromMilliseconds(500),
        };
        if (!kip848)
        {
            // A short session: the mock holds every rebalance's join phase for session.timeout - 1 s, and notices a
            // crashed member after it. Generous poll interval for a loaded machine.
            config = config with
            {
                SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(4),
                HeartbeatInterval = TimeSpan.FromMilliseconds(300),
                MaxPollInterval = TimeSpan.FromSeconds(60),
            };
        }

        return assignors is null ? config : config.With("partition.assignment.strategy", assignors);
    }

    public static TopicPartition[] Partitions(string topic, int count) =>
        [.. Enumerable.Range(0, count).Select(p => new TopicPartition(topic, p))];

    public static async Task WaitForAsync(Func<bool> condition, Func<string> what, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what()}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>True when the members' handlers own exactly <paramref name="all"/> between them, none twice, each some.</summary>
    public static bool Converged(IReadOnlyList<IGroupMemberView> members, IReadOnlyCollection<TopicPartition> all)
    {
        HashSet<TopicPartition>[] sets = [.. members.Select(m => m.Owned)];
        return sets.Sum(s => s.Count) == all.Count && sets.All(s => s.Count > 0) && sets.SelectMany(s => s).ToHashSet().SetEquals(all);
    }

    /// <summary>Waits until the members' handlers own exactly <paramref name="all"/> between them, none twice, each some.</summary>
    public static Task ConvergedAsync(IReadOnlyList<IGroupMemberView> members, IReadOnlyCollection<TopicPartition> all, TimeSpan timeout) =>
        WaitForAsync(
            () => Converged(members, all),
            () => $"the group to split {all.Count} partitions over {members.Count} members (now {string.Join("; ", members)})",
            timeout);

    /// <summary>Waits until every offset below each partition's count was delivered by some member.</summary>
    public static Task AllDeliveredAsync(GroupLedger ledger, IReadOnlyDictionary<TopicPartition, long> counts, TimeSpan timeout) =>
        WaitForAsync(() => ledger.Missing(counts) == 0, () => $"every message to be consumed ({ledger.Missing(counts)} not yet, {ledger.Delivered} deliveries)", timeout);

    /// <summary>
    /// The ledger's verdict once every member stopped: no violation (a delivery outside ownership, a double
    /// assignment), no two members owning a partition at once, every offset delivered, order kept.
    /// </summary>
    public static void AssertLedger(GroupLedger ledger, IReadOnlyDictionary<TopicPartition, long> counts, bool exactlyOnce = false)
    {
        Assert.True(ledger.Violations.Count == 0, "Violations:\n" + string.Join("\n", ledger.Violations));
        List<string> overlaps = ledger.Overlaps();
        Assert.True(overlaps.Count == 0, "Overlapping ownership:\n" + string.Join("\n", overlaps.Take(20)));
        List<string> coverage = ledger.CheckCoverage(counts, exactlyOnce);
        Assert.True(coverage.Count == 0, "Coverage/order:\n" + string.Join("\n", coverage.Take(20)));
    }

    /// <summary>Adds the counts of a later production (partition ends only grow).</summary>
    public static Dictionary<TopicPartition, long> Max(IReadOnlyDictionary<TopicPartition, long> a, IReadOnlyDictionary<TopicPartition, long> b)
    {
        var merged = new Dictionary<TopicPartition, long>(a);
        foreach (var (tp, end) in b)
        {
            merged[tp] = Math.Max(end, merged.GetValueOrDefault(tp));
        }

        return merged;
    }
}
