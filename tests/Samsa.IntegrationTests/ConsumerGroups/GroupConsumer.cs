using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>
/// One group member: a public Samsa <see cref="Consumer{TKey, TValue}"/> subscribed on its own thread, as an
/// application would run it. Its rebalance handlers open and close ownership windows in a shared
/// <see cref="GroupLedger"/>; every message it delivers is recorded in the window it belongs to (a message of a
/// partition it does not own is a violation). Close (Consumer.Close, which leaves the group) and Crash (the
/// process dies: no revoke, no commit, no LeaveGroup) happen on the member's own thread.
/// </summary>
internal sealed class GroupConsumer : IGroupMemberView, IDisposable
{
    private readonly GroupLedger _ledger;
    private readonly Consumer<byte[], byte[]> _consumer;
    private readonly Thread _thread;
    private readonly Dictionary<TopicPartition, OwnershipWindow> _owned = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];
    private readonly List<(string Kind, TopicPartition[] Partitions)> _rebalances = [];
    private readonly List<KafkaException> _errors = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _commitEvery;
    private volatile string? _stopHow;
    private volatile bool _paused;
    private int _sinceCommit;

    /// <param name="commitEvery">0: no manual commits; N: Commit() after every N messages (the offsets are remembered).</param>
    public GroupConsumer(string name, ConsumerConfig config, GroupLedger ledger, IReadOnlyList<string> topics, int commitEvery = 0, ILoggerFactory? logs = null)
    {
        Name = name;
        _ledger = ledger;
        _commitEvery = commitEvery;
        var builder = new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions, "revoked"))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions, "lost"))
            .SetErrorHandler((_, error) =>
            {
                lock (_errors)
                {
                    _errors.Add(error);
                }
            });
        if (logs is not null || Environment.GetEnvironmentVariable("SAMSA_TEST_LOG") == "debug")
        {
            builder.SetLoggerFactory(logs ?? new ConsoleTestLoggerFactory(LogLevel.Debug));
        }

        _consumer = builder.Build();
        _consumer.Subscribe(topics);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public string Name { get; }

    public string MemberId => _consumer.MemberId;

    /// <summary>The public consumer (commits and queries may come from any thread).</summary>
    public Consumer<byte[], byte[]> Consumer => _consumer;

    /// <summary>True once the member's thread ended (closed or crashed).</summary>
    public bool Stopped => _stopped.Task.IsCompleted;

    /// <summary>Stops consuming (the consumer is not polled) while true.</summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    /// <summary>The partitions this member owns now, as its handlers saw them.</summary>
    public HashSet<TopicPartition> Owned
    {
        get
        {
            lock (_owned)
            {
                return [.. _owned.Keys];
            }
        }
    }

    /// <summary>The partitions it owned when it crashed (set once <see cref="CrashAsync"/> completed).</summary>
    public HashSet<TopicPartition> OwnedWhenCrashed { get; private set; } = [];

    /// <summary>The offsets its manual commits committed (the last successful one per partition).</summary>
    public Dictionary<TopicPartition, long> Committed
    {
        get
        {
            lock (_committed)
            {
                return new Dictionary<TopicPartition, long>(_committed);
            }
        }
    }

    /// <summary>Every assigned, revoked and lost list the handlers got, in order.</summary>
    public (string Kind, TopicPartition[] Partitions)[] Rebalances
    {
        get
        {
            lock (_rebalances)
            {
                return [.. _rebalances];
            }
        }
    }

    public KafkaException[] Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Exceptions the consume loop threw (a test failure unless expected).</summary>
    public List<Exception> Failures { get; } = [];

    public override string ToString() => $"{Name}: {string.Join(",", Owned.Select(tp => tp.Partition).Order())}";

    /// <summary>Consumer.Close on the member's thread (revoked handler, final commit, LeaveGroup); waits for it.</summary>
    public Task CloseAsync() => StopAsync("close");

    /// <summary>The process dies: no handler, no commit, no LeaveGroup; its connections drop. Waits for it.</summary>
    public Task CrashAsync() => StopAsync("crash");

    private Task StopAsync(string how)
    {
        _stopHow ??= how;
        return _stopped.Task.WaitAsync(TimeSpan.FromSeconds(40));
    }

    private void OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        lock (_rebalances)
        {
            _rebalances.Add(("assigned", [.. partitions]));
        }

        lock (_owned)
        {
            foreach (TopicPartition tp in partitions)
            {
                if (_owned.ContainsKey(tp))
                {
                    _ledger.Violation($"{Name} was assigned {tp}, which it already owned");
                    continue;
                }

                _owned[tp] = _ledger.Open(Name, tp);
            }
        }
    }

    private void OnRevoked(IReadOnlyList<TopicPartitionOffset> partitions, string how)
    {
        // The revocation that Close itself runs is not a rebalance: label it so the checks can tell them apart.
        if (_stopHow is not null && how == "revoked")
        {
            how = "closed";
        }

        lock (_rebalances)
        {
            _rebalances.Add((how, [.. partitions.Select(p => p.TopicPartition)]));
        }

        lock (_owned)
        {
            foreach (TopicPartitionOffset tpo in partitions)
            {
                if (!_owned.Remove(tpo.TopicPartition, out OwnershipWindow? window))
                {
                    _ledger.Violation($"{Name}: {how} {tpo.TopicPartition}, which it did not own");
                    continue;
                }

                _ledger.Close(window, how);
            }
        }

        _sinceCommit = 0;
    }

    private void Run()
    {
        try
        {
            while (_stopHow is null)
            {
                if (_paused)
                {
                    Thread.Sleep(20);
                    continue;
                }

                if (_consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.FromMilliseconds(100)) && !r.IsPartitionEof)
                {
                    Record(r);
                }
            }

            if (_stopHow == "crash")
            {
                _consumer.Engine.CrashForTestAsync().AsTask().GetAwaiter().GetResult();
                lock (_owned)
                {
                    OwnedWhenCrashed = [.. _owned.Keys];
                    foreach (OwnershipWindow w in _owned.Values)
                    {
                        _ledger.Close(w, "crashed");
                    }

                    _owned.Clear();
                }
            }
            else
            {
                _consumer.Close();
            }
        }
#pragma warning disable CA1031 // reported to the test through Failures
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failures.Add(ex);
            _ledger.Violation($"{Name}: the consume loop threw {ex}");
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void Record(in ConsumedRecord r)
    {
        var tp = new TopicPartition(r.Topic, r.Partition);
        OwnershipWindow? window;
        lock (_owned)
        {
            _owned.TryGetValue(tp, out window);
        }

        if (window is null)
        {
            _ledger.Violation($"{Name} delivered {tp} @{r.Offset} without owning the partition");
            return;
        }

        ReadOnlySpan<byte> value = r.Value.Span;
        window.Deliveries.Add((r.Offset, BinaryPrimitives.ReadInt32BigEndian(value), BinaryPrimitives.ReadInt32BigEndian(value[4..])));
        _ledger.CountDelivery(tp, r.Offset);
        if (_commitEvery > 0 && ++_sinceCommit >= _commitEvery)
        {
            _sinceCommit = 0;
            CommitNow();
        }
    }

    private void CommitNow()
    {
        try
        {
            List<TopicPartitionOffset> committed = _consumer.Commit();
            lock (_committed)
            {
                foreach (TopicPartitionOffset tpo in committed)
                {
                    _committed[tpo.TopicPartition] = tpo.Offset.Value;
                }
            }
        }
        catch (KafkaException ex)
        {
            lock (_errors)
            {
                _errors.Add(ex); // a commit during a rebalance may fail; the next one covers it
            }
        }
    }

    public void Dispose()
    {
        _stopHow ??= "close";
        _stopped.Task.Wait(TimeSpan.FromSeconds(40));
        _consumer.Dispose();
    }
}
