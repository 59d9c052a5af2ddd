using System.Buffers.Binary;
using CK = Confluent.Kafka;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>
/// A Confluent.Kafka (librdkafka) group member that keeps the same <see cref="GroupLedger"/> as
/// <see cref="GroupConsumer"/>: its rebalance handlers open and close ownership windows and every message it
/// delivers is recorded in the window it belongs to. Polled on its own thread; handlers run on it.
/// </summary>
internal sealed class LibrdkafkaGroupConsumer : IGroupMemberView, IDisposable
{
    private readonly GroupLedger _ledger;
    private readonly CK.IConsumer<byte[], byte[]> _consumer;
    private readonly Thread _thread;
    private readonly Dictionary<TopicPartition, OwnershipWindow> _owned = [];
    private volatile bool _stop;
    private volatile bool _closing;

    public LibrdkafkaGroupConsumer(string name, string bootstrap, string group, string assignor, GroupLedger ledger, string topic)
    {
        Name = name;
        _ledger = ledger;
        var config = new CK.ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            SessionTimeoutMs = 4000, // as the Samsa members (the mock takes the last joiner's for the group)
            HeartbeatIntervalMs = 300,
            AutoOffsetReset = CK.AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            FetchWaitMaxMs = 100,
        };
        config.Set("partition.assignment.strategy", assignor);
        _consumer = new CK.ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, list) => Opened([.. list.Select(tp => new TopicPartition(tp.Topic, tp.Partition.Value))]))
            .SetPartitionsRevokedHandler((_, list) => Closed([.. list.Select(tp => new TopicPartition(tp.Topic, tp.Partition.Value))], _closing ? "closed" : "revoked"))
            .SetPartitionsLostHandler((_, list) => Closed([.. list.Select(tp => new TopicPartition(tp.Topic, tp.Partition.Value))], "lost"))
            .Build();
        _consumer.Subscribe(topic);
        _thread = new Thread(Poll) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public string Name { get; }

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

    public List<Exception> Failures { get; } = [];

    public override string ToString() => $"{Name}: {string.Join(",", Owned.Select(tp => tp.Partition).Order())}";

    private void Opened(List<TopicPartition> partitions)
    {
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

    private void Closed(List<TopicPartition> partitions, string how)
    {
        lock (_owned)
        {
            foreach (TopicPartition tp in partitions)
            {
                if (!_owned.Remove(tp, out OwnershipWindow? window))
                {
                    _ledger.Violation($"{Name}: {how} {tp}, which it did not own");
                    continue;
                }

                _ledger.Close(window, how);
            }
        }
    }

    private void Poll()
    {
        try
        {
            while (!_stop)
            {
                CK.ConsumeResult<byte[], byte[]>? r = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r is null || r.IsPartitionEOF)
                {
                    continue;
                }

                var tp = new TopicPartition(r.Topic, r.Partition.Value);
                OwnershipWindow? window;
                lock (_owned)
                {
                    _owned.TryGetValue(tp, out window);
                }

                if (window is null)
                {
                    _ledger.Violation($"{Name} delivered {tp} @{r.Offset.Value} without owning the partition");
                    continue;
                }

                byte[] value = r.Message.Value;
                window.Deliveries.Add((r.Offset.Value, BinaryPrimitives.ReadInt32BigEndian(value), BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(4))));
                _ledger.CountDelivery(tp, r.Offset.Value);
            }

            _closing = true;
            _consumer.Close(); // revoked handler (labelled "closed"), final commit, LeaveGroup
        }
#pragma warning disable CA1031 // reported to the test through Failures
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failures.Add(ex);
            _ledger.Violation($"{Name}: the poll loop threw {ex}");
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(40));
        _consumer.Dispose();
    }
}
