using System.Collections.Concurrent;
using System.Diagnostics;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>A group member as the checks see it: its name and the partitions its handlers say it owns now.</summary>
internal interface IGroupMemberView
{
    string Name { get; }

    HashSet<TopicPartition> Owned { get; }
}

/// <summary>One stretch of time in which a member owned a partition (from its assigned handler to its revoked or lost handler).</summary>
internal sealed class OwnershipWindow(int id, string member, TopicPartition partition, long start)
{
    public int Id { get; } = id;

    public string Member { get; } = member;

    public TopicPartition Partition { get; } = partition;

    public long Start { get; } = start;

    /// <summary>Stopwatch ticks when it closed; long.MaxValue while open.</summary>
    public long End { get; set; } = long.MaxValue;

    /// <summary>How it closed: "revoked", "lost", "closed" (by the member's own close), "crashed", or null while open.</summary>
    public string? ClosedBy { get; set; }

    /// <summary>The offsets delivered in this window, in delivery order, with the message's key and per-key sequence.</summary>
    public List<(long Offset, int Key, int Seq)> Deliveries { get; } = [];

    public override string ToString() => $"{Member} {Partition} [{Start}..{(End == long.MaxValue ? "open" : End.ToString(System.Globalization.CultureInfo.InvariantCulture))}] {ClosedBy} {Deliveries.Count} msgs";
}

/// <summary>
/// Everything the members of one test group did: ownership windows (opened and closed by the rebalance
/// handlers on each member's poll thread) and the messages each delivered in them. The checks below turn
/// that into assertions: no two members own a partition at once, every offset was delivered, order held.
/// </summary>
internal sealed class GroupLedger
{
    private readonly Lock _lock = new();
    private readonly List<OwnershipWindow> _windows = [];
    private readonly List<string> _violations = [];
    private readonly ConcurrentDictionary<TopicPartition, long> _reached = new();
    private long _delivered;

    public long Delivered => Interlocked.Read(ref _delivered);

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    public OwnershipWindow[] Windows
    {
        get
        {
            lock (_lock)
            {
                return [.. _windows];
            }
        }
    }

    public OwnershipWindow Open(string member, TopicPartition partition)
    {
        lock (_lock)
        {
            var window = new OwnershipWindow(_windows.Count, member, partition, Stopwatch.GetTimestamp());
            _windows.Add(window);
            return window;
        }
    }

    public void Close(OwnershipWindow window, string how)
    {
        lock (_lock)
        {
            window.End = Stopwatch.GetTimestamp();
            window.ClosedBy = how;
        }
    }

    public void Violation(string what)
    {
        lock (_lock)
        {
            if (_violations.Count < 50)
            {
                _violations.Add(what);
            }
        }
    }

    public void CountDelivery(TopicPartition partition, long offset)
    {
        Interlocked.Increment(ref _delivered);
        _reached.AddOrUpdate(partition, offset + 1, (_, before) => Math.Max(before, offset + 1));
    }

    /// <summary>How many of <paramref name="counts"/>' messages lie beyond the highest offset delivered so far (0: all reached).</summary>
    public long Missing(IReadOnlyDictionary<TopicPartition, long> counts)
    {
        long missing = 0;
        foreach (var (tp, count) in counts)
        {
            missing += Math.Max(0, count - _reached.GetValueOrDefault(tp));
        }

        return missing;
    }

    /// <summary>No two members' windows on one partition overlap in time.</summary>
    public List<string> Overlaps()
    {
        var problems = new List<string>();
        foreach (IGrouping<TopicPartition, OwnershipWindow> byPartition in Windows.GroupBy(w => w.Partition))
        {
            OwnershipWindow[] sorted = [.. byPartition.OrderBy(w => w.Start)];
            for (int i = 1; i < sorted.Length; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (sorted[j].Member != sorted[i].Member && sorted[j].End > sorted[i].Start)
                    {
                        problems.Add($"{byPartition.Key}: {sorted[i].Member} was assigned it while {sorted[j].Member} still owned it ({sorted[j]} / {sorted[i]})");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// For each partition, walks its windows in time order: each window delivers consecutive offsets, and starts
    /// at or before where the delivered prefix ends (no gap; exactly there when <paramref name="exactlyOnce"/>);
    /// per key, the sequence rises within a window (and across windows when exactly once). At the end every
    /// offset below the partition's count was delivered.
    /// </summary>
    public List<string> CheckCoverage(IReadOnlyDictionary<TopicPartition, long> counts, bool exactlyOnce)
    {
        var problems = new List<string>();
        Dictionary<TopicPartition, OwnershipWindow[]> windows = Windows.GroupBy(w => w.Partition).ToDictionary(g => g.Key, g => g.OrderBy(w => w.Start).ToArray());
        foreach (var (tp, count) in counts)
        {
            long next = 0;
            var lastSeq = new Dictionary<int, int>();
            foreach (OwnershipWindow w in windows.GetValueOrDefault(tp) ?? [])
            {
                if (w.Deliveries.Count == 0)
                {
                    continue;
                }

                long first = w.Deliveries[0].Offset;
                if (first > next || (exactlyOnce && first != next))
                {
                    problems.Add($"{tp}: {w.Member}'s window starts at offset {first}, but the offsets delivered before end at {next} ({(first > next ? "a gap" : "a duplicate")})");
                }

                var windowSeq = new Dictionary<int, int>();
                long prev = first - 1;
                foreach (var (offset, key, seq) in w.Deliveries)
                {
                    if (offset != prev + 1)
                    {
                        problems.Add($"{tp}: {w.Member} delivered offset {offset} after {prev}");
                    }

                    prev = offset;
                    if (windowSeq.TryGetValue(key, out int before) && seq <= before)
                    {
                        problems.Add($"{tp}: key {key} went from sequence {before} to {seq} in {w.Member}'s window");
                    }

                    windowSeq[key] = seq;
                    if (exactlyOnce)
                    {
                        int expected = lastSeq.TryGetValue(key, out int last) ? last + 1 : 0;
                        if (seq != expected)
                        {
                            problems.Add($"{tp}: key {key} delivered sequence {seq}, expected {expected} (by {w.Member} at offset {offset})");
                        }

                        lastSeq[key] = seq;
                    }
                }

                next = Math.Max(next, prev + 1);
                if (problems.Count > 20)
                {
                    return problems;
                }
            }

            if (next != count)
            {
                problems.Add($"{tp}: delivered up to offset {next}, the partition holds {count}");
            }
        }

        return problems;
    }
}
