using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Groups;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Groups;

/// <summary>
/// Plays the consumer around one group membership (the real consumer is built elsewhere): it polls events on
/// a background task, acknowledges them, keeps a log, and checks with a shared ledger that no partition is ever
/// held by two members at once.
/// </summary>
internal sealed class GroupTestMember : IAsyncDisposable
{
    private readonly KafkaCluster _cluster;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly OwnershipLedger? _ledger;
    private readonly List<GroupEvent> _events = [];
    private bool _closed;

    public GroupTestMember(string name, ConsumerConfig config, OwnershipLedger? ledger = null, ILoggerFactory? logs = null)
    {
        Name = name;
        _ledger = ledger;
        ConsumerConfig validated = config.Validate();
        LogLevel level = Environment.GetEnvironmentVariable("SAMSA_TEST_LOG") == "debug" ? LogLevel.Debug : LogLevel.Information;
        ILogger logger = (logs ?? new ConsoleTestLoggerFactory(level)).CreateLogger(name);
        _cluster = new KafkaCluster(ClientSettings.Cluster(validated, logger));
        Membership = GroupMembershipFactory.Create(_cluster, validated, logger);
        _pump = Task.Run(PumpAsync);
    }

    public string Name { get; }

    public IGroupMembership Membership { get; }

    /// <summary>False stops polling (the application hangs).</summary>
    public bool Polling { get; set; } = true;

    public HashSet<TopicPartition> Assignment => [.. Membership.Assignment];

    public GroupEvent[] Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static ConsumerConfig Config(string bootstrap, string group, string? assignors = null, string? instanceId = null, bool kip848 = false)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            GroupInstanceId = instanceId,
            SessionTimeout = TimeSpan.FromSeconds(3),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            MaxPollInterval = TimeSpan.FromSeconds(20),
            RetryBackoff = TimeSpan.FromMilliseconds(50),
            RetryBackoffMax = TimeSpan.FromMilliseconds(500),
            GroupProtocol = kip848 ? GroupProtocol.Consumer : GroupProtocol.Classic,
        };
        return assignors is null ? config : config.With("partition.assignment.strategy", assignors);
    }

    public void Subscribe(params string[] topics) => Membership.Subscribe(topics);

    /// <summary>Leaves the group (as a consumer's close does) and stops polling.</summary>
    public async Task CloseAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        await _stop.CancelAsync();
        await _pump;
        _ledger?.Release(Name);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Membership.LeaveAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await Membership.DisposeAsync();
        await _cluster.DisposeAsync();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (Polling)
            {
                while (Membership.TryTakeEvent(out GroupEvent e))
                {
                    lock (_events)
                    {
                        _events.Add(e);
                    }

                    _ledger?.Apply(Name, e);
                    Membership.Acknowledge(e);
                }
            }

            try
            {
                await Membership.WaitForEventAsync(_stop.Token).WaitAsync(TimeSpan.FromMilliseconds(50), _stop.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>Who holds which partition, as members apply their events: a second holder is a test failure.</summary>
internal sealed class OwnershipLedger
{
    private readonly Dictionary<TopicPartition, string> _owner = [];
    private readonly List<string> _violations = [];

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_owner)
            {
                return [.. _violations];
            }
        }
    }

    public void Apply(string member, GroupEvent e)
    {
        lock (_owner)
        {
            foreach (TopicPartition tp in e.Partitions)
            {
                switch (e.Kind)
                {
                    case GroupEventKind.Assigned:
                        if (_owner.TryGetValue(tp, out string? other) && other != member)
                        {
                            _violations.Add($"{tp} assigned to {member} while {other} holds it");
                        }

                        _owner[tp] = member;
                        break;
                    case GroupEventKind.Revoked:
                    case GroupEventKind.Lost:
                        if (_owner.TryGetValue(tp, out string? holder) && holder == member)
                        {
                            _owner.Remove(tp);
                        }

                        break;
                }
            }
        }
    }

    public void Release(string member)
    {
        lock (_owner)
        {
            foreach (TopicPartition tp in _owner.Where(kv => kv.Value == member).Select(kv => kv.Key).ToList())
            {
                _owner.Remove(tp);
            }
        }
    }
}

internal static class GroupAssert
{
    public static TopicPartition[] Partitions(string topic, int count) =>
        Enumerable.Range(0, count).Select(p => new TopicPartition(topic, p)).ToArray();

    /// <summary>Waits until the members' acknowledged assignments cover <paramref name="expected"/> exactly, with no overlap.</summary>
    public static async Task ConvergedAsync(IReadOnlyList<GroupTestMember> members, IReadOnlyCollection<TopicPartition> expected, TimeSpan timeout, Func<bool>? also = null)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        string state = "";
        while (DateTime.UtcNow < deadline)
        {
            HashSet<TopicPartition>[] sets = members.Select(m => m.Assignment).ToArray();
            int total = sets.Sum(s => s.Count);
            var union = sets.SelectMany(s => s).ToHashSet();
            state = string.Join("; ", members.Select((m, i) => $"{m.Name} (gen {m.Membership.GenerationId}): {string.Join(",", sets[i].Select(tp => tp.Partition).Order())}"));
            if (total == expected.Count && union.SetEquals(expected) && (also?.Invoke() ?? true))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"The group did not converge within {timeout}: {state}");
    }
}
