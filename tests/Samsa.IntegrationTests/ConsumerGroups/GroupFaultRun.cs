using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;
using static Samsa.IntegrationTests.ConsumerGroups.GroupTestKit;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>
/// The moving parts of a consumer-group fault test: a steady keyed stream produced in the background (batch j
/// carries each key's sequences 10j..10j+9), the members (each commits every 200 messages), and crash-and-replace
/// steps that record what the group had committed for the crashed member's partitions, to check the takeovers.
/// </summary>
internal sealed class GroupFaultRun : IAsyncDisposable
{
    private const int Keys = 320;
    private const int Batch = 3_200;

    // Each member's last log lines, printed when a wait of the run times out.
    private const int LogLinesKept = 100;

    private readonly TestCluster _cluster;
    private readonly string _bootstrap;
    private readonly string _topic;
    private readonly string _group;
    private readonly ConsumerConfig _config;
    private readonly TopicPartition[] _all;
    private readonly CancellationTokenSource _stopProducing = new();
    private readonly List<(string Victim, long Ticks, Dictionary<TopicPartition, long> Committed)> _takeovers = [];
    private readonly List<(string Member, CapturingLoggerFactory Logs)> _logs = [];
    private Task<Dictionary<TopicPartition, long>>? _producing;

    public GroupFaultRun(TestCluster cluster, string bootstrap, string topic, int partitions, string group, ConsumerConfig config, int coordinator)
    {
        _cluster = cluster;
        Coordinator = coordinator;
        _bootstrap = bootstrap;
        _topic = topic;
        _group = group;
        _config = config;
        _all = Partitions(topic, partitions);
    }

    public GroupLedger Ledger { get; } = new();

    /// <summary>The broker the test placed the group's coordinator on.</summary>
    public int Coordinator { get; set; }

    public List<GroupConsumer> Members { get; } = [];

    /// <summary>Produces a first batch, then keeps producing batches in the background until <see cref="StopProducingAsync"/>.</summary>
    public void StartProducing()
    {
        Dictionary<TopicPartition, long> first = KeyedData.Produce(_bootstrap, _topic, _all.Length, Batch, Keys);
        _producing = Task.Run(() =>
        {
            Dictionary<TopicPartition, long> produced = first;
            for (int j = 1; !_stopProducing.IsCancellationRequested; j++)
            {
                produced = Max(produced, KeyedData.Produce(_bootstrap, _topic, _all.Length, Batch, Keys, firstSeq: 10 * j));
                Thread.Sleep(300);
            }

            return produced;
        });
    }

    /// <summary>Stops the stream; returns each partition's end offset (what the group must consume).</summary>
    public async Task<Dictionary<TopicPartition, long>> StopProducingAsync()
    {
        await _stopProducing.CancelAsync();
        return await _producing!.WaitAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>Starts a member whose recent log lines are kept for the failure report (on the console with SAMSA_TEST_LOG=debug).</summary>
    public GroupConsumer Start(string name)
    {
        CapturingLoggerFactory? logs = Environment.GetEnvironmentVariable("SAMSA_TEST_LOG") == "debug" ? null
            : new CapturingLoggerFactory(LogLevel.Debug, capacity: LogLinesKept);
        var m = new GroupConsumer(name, _config, Ledger, [_topic], commitEvery: 200, logs);
        Members.Add(m);
        if (logs is not null)
        {
            _logs.Add((name, logs));
        }

        return m;
    }

    public Task ConvergedAsync(params GroupConsumer[] members) =>
        ReportingLogsAsync(GroupTestKit.ConvergedAsync(members, _all, TimeSpan.FromSeconds(60)));

    /// <summary>Waits until the group delivered <paramref name="more"/> further messages.</summary>
    public Task ProgressAsync(int more, string when)
    {
        long before = Ledger.Delivered;
        return ReportingLogsAsync(WaitForAsync(() => Ledger.Delivered >= before + more,
            () => $"consumption to go on {when} ({Ledger.Delivered - before} of {more})", TimeSpan.FromSeconds(60)));
    }

    /// <summary>A wait of the run that times out fails with every member's last log lines and rebalance events.</summary>
    private async Task ReportingLogsAsync(Task wait)
    {
        try
        {
            await wait;
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            var report = new System.Text.StringBuilder(ex.Message);
            foreach (GroupConsumer m in Members)
            {
                report.AppendLine().Append("--- ").Append(m.Name).Append(": handler events ")
                    .AppendJoin(" ", m.Rebalances.Select(r => $"{r.Kind}({r.Partitions.Length})"));
                (string Member, CapturingLoggerFactory Logs) own = _logs.Find(l => l.Member == m.Name);
                if (own.Logs is not null)
                {
                    report.AppendLine().Append("    last ").Append(LogLinesKept).AppendLine(" log lines:").Append(own.Logs.Dump());
                }
            }

            Assert.Fail(report.ToString());
        }
    }

    /// <summary>
    /// Once the group is settled (every partition owned, the victim among the owners) and the victim committed one of
    /// the partitions it owns, it crashes (no revoke, no commit, no LeaveGroup); the group's committed offsets for
    /// its partitions are read; a replacement joins and the group converges again.
    /// </summary>
    /// <remarks>
    /// A group can still rebalance after it looked settled (a member evicted by a session that ran out during an
    /// outage is noticed seconds later); an eager member owns nothing while it rejoins, so the victim must be seen
    /// owning partitions right before the crash, and what it owned is taken from its own thread at the moment it
    /// crashed.
    /// </remarks>
    public async Task<GroupConsumer> CrashAndReplaceAsync(GroupConsumer victim, string replacement, params GroupConsumer[] survivors)
    {
        long before = Ledger.Delivered;
        GroupConsumer[] members = [victim, .. survivors];
        await ReportingLogsAsync(WaitForAsync(
            () => Ledger.Delivered > before + 2_000 && Converged(members, _all) && CommittedOwned(victim),
            () => $"{victim.Name} to consume and commit a partition it owns in a settled group ({string.Join("; ", members.Select(m => m.ToString()))})",
            TimeSpan.FromSeconds(60)));
        await victim.CrashAsync();
        HashSet<TopicPartition> owned = victim.OwnedWhenCrashed;
        Assert.True(owned.Count > 0, $"{victim.Name} owned no partition when it crashed (a rebalance began in the moment before)");
        long ticks = Stopwatch.GetTimestamp();
        _takeovers.Add((victim.Name, ticks, await ReadCommittedAsync(owned)));

        GroupConsumer fresh = Start(replacement);
        await ConvergedAsync([.. survivors, fresh]);
        return fresh;
    }

    private static bool CommittedOwned(GroupConsumer member)
    {
        Dictionary<TopicPartition, long> committed = member.Committed;
        return member.Owned.Any(committed.ContainsKey);
    }

    /// <summary>
    /// The group's committed offsets, read straight from the coordinator with a plain OffsetFetch v1 (not through the
    /// client under test, so a client that misreads them cannot agree with itself); -1: none.
    /// </summary>
    private async Task<Dictionary<TopicPartition, long>> ReadCommittedAsync(IReadOnlyCollection<TopicPartition> partitions)
    {
        await using KafkaWireClient wire = await KafkaWireClient.ConnectAsync(_cluster.BrokerAddress(Coordinator));
        var request = new OffsetFetchRequest
        {
            GroupId = _group,
            Groups = [],
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = _topic, PartitionIndexes = [.. partitions.Select(tp => tp.Partition)] }],
        };
        OffsetFetchResponse response = await wire.SendAsync<OffsetFetchRequest, OffsetFetchResponse>(request, 1)
            .WaitAsync(TimeSpan.FromSeconds(30));
        var committed = new Dictionary<TopicPartition, long>();
        foreach (OffsetFetchResponse.OffsetFetchResponsePartition p in response.Topics.Single().Partitions)
        {
            Assert.True(p.ErrorCode == 0, $"OffsetFetch from the coordinator (broker {Coordinator}) failed for partition {p.PartitionIndex}: error {p.ErrorCode}");
            committed[new TopicPartition(_topic, p.PartitionIndex)] = p.CommittedOffset;
        }

        Assert.Equal(partitions.Count, committed.Count);
        return committed;
    }

    /// <summary>One line on what happened, for the test output.</summary>
    public string Summary(IReadOnlyDictionary<TopicPartition, long> counts, TimeSpan elapsed) =>
        $"{counts.Values.Sum():N0} messages, {Ledger.Delivered:N0} deliveries, {Ledger.Windows.Length} ownership windows " +
        $"({string.Join(", ", Ledger.Windows.GroupBy(w => w.ClosedBy ?? "open").Select(g => $"{g.Count()} {g.Key}"))}) in {elapsed.TotalSeconds:F1} s";

    /// <summary>
    /// Each crashed member's partitions were next consumed, by another member, from exactly the offset the group
    /// had committed: not after it (nothing skipped) and not before it (the commits were used).
    /// </summary>
    public void AssertTakeovers(int crashes)
    {
        OwnershipWindow[] windows = Ledger.Windows;
        Assert.Equal(crashes, _takeovers.Count);
        foreach (var (victim, ticks, committed) in _takeovers)
        {
            Assert.Contains(committed.Values, o => o >= 0);
            foreach (var (tp, offset) in committed)
            {
                OwnershipWindow? takeover = windows.Where(w => w.Partition == tp && w.Start > ticks && w.Deliveries.Count > 0).MinBy(w => w.Start);
                Assert.True(takeover is not null, $"nobody consumed {tp} after {victim} crashed");
                Assert.NotEqual(victim, takeover.Member);
                long expected = offset >= 0 ? offset : 0;
                Assert.True(takeover.Deliveries[0].Offset == expected,
                    $"{tp}: {takeover.Member} resumed at {takeover.Deliveries[0].Offset} after {victim} crashed; the group had committed {offset}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopProducing.CancelAsync();
        foreach (GroupConsumer m in Members)
        {
            m.Dispose();
        }

        if (_producing is not null)
        {
            await _producing.WaitAsync(TimeSpan.FromSeconds(120)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stopProducing.Dispose();
    }
}
