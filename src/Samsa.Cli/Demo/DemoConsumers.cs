using System.Buffers.Binary;
using System.Diagnostics;

namespace Samsa.Cli.Demo;

/// <summary>
/// The demo's consumers: one group, one thread each. Every message carries its sequence number and the
/// Stopwatch time it was produced at; each consumer records the end-to-end latency and marks the sequence
/// number in a shared bitmap, so duplicates and gaps are counted exactly.
/// </summary>
internal sealed class DemoConsumers : IDisposable
{
    private readonly List<Member> _members = [];
    private readonly long[] _seen;
    private readonly long _expected;
    private long _unique;
    private long _duplicates;
    private long _firstReceived;
    private long _lastReceived;

    public DemoConsumers(ConsumerConfig config, string topic, int count, long expected, Microsoft.Extensions.Logging.ILoggerFactory logs)
    {
        _expected = expected;
        _seen = new long[(expected + 63) / 64];
        for (int i = 0; i < count; i++)
        {
            var consumer = new Consumer<byte[], byte[]>(config, loggerFactory: logs);
            consumer.Subscribe(topic);
            _members.Add(new Member(this, consumer));
        }
    }

    public long Unique => Interlocked.Read(ref _unique);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Partitions assigned over all members (as each last saw its assignment).</summary>
    public int AssignedPartitions => _members.Sum(m => Volatile.Read(ref m.Assigned));

    public int MembersWithPartitions => _members.Count(m => Volatile.Read(ref m.Assigned) > 0);

    /// <summary>Seconds from the first to the last message received.</summary>
    public double ConsumeSeconds => Stopwatch.GetElapsedTime(Interlocked.Read(ref _firstReceived), Interlocked.Read(ref _lastReceived)).TotalSeconds;

    public Exception? Error => _members.Select(m => m.Error).FirstOrDefault(e => e is not null);

    public void Start(CancellationToken cancellationToken)
    {
        foreach (Member m in _members)
        {
            m.Thread = new Thread(() => m.Run(cancellationToken)) { IsBackground = true, Name = "samsa-demo-consumer" };
            m.Thread.Start();
        }
    }

    public LatencyHistogram Latencies()
    {
        var all = new LatencyHistogram();
        foreach (Member m in _members)
        {
            all.Add(m.Latency);
        }

        return all;
    }

    /// <summary>Stops the threads and closes the consumers (leaving the group).</summary>
    public void Dispose()
    {
        foreach (Member m in _members)
        {
            m.Stop = true;
        }

        foreach (Member m in _members)
        {
            m.Thread?.Join(TimeSpan.FromSeconds(10));
            m.Consumer.Dispose();
        }
    }

    private void Received(long sequence)
    {
        long now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _firstReceived, now, 0);
        Interlocked.Exchange(ref _lastReceived, now);
        if (sequence < 0 || sequence >= _expected)
        {
            return;
        }

        long bit = 1L << (int)(sequence & 63);
        long before = Interlocked.Or(ref _seen[sequence >> 6], bit);
        if ((before & bit) != 0)
        {
            Interlocked.Increment(ref _duplicates);
        }
        else
        {
            Interlocked.Increment(ref _unique);
        }
    }

    private sealed class Member(DemoConsumers owner, Consumer<byte[], byte[]> consumer)
    {
        public Consumer<byte[], byte[]> Consumer => consumer;

        public LatencyHistogram Latency { get; } = new();

        public Thread? Thread { get; set; }

        public volatile bool Stop;

        public int Assigned;

        public Exception? Error { get; private set; }

        public void Run(CancellationToken cancellationToken)
        {
            try
            {
                int sinceLook = 0;
                while (!Stop && !cancellationToken.IsCancellationRequested && owner.Unique < owner._expected)
                {
                    bool got = consumer.TryConsumeRaw(out ConsumedRecord record, TimeSpan.FromMilliseconds(50));
                    if (!got || ++sinceLook >= 4096)
                    {
                        // The assignment is read on this (the consuming) thread, and not per message: it is a copy.
                        sinceLook = 0;
                        Volatile.Write(ref Assigned, consumer.Assignment.Count);
                    }

                    if (!got || record.IsPartitionEof || record.Value.Length < 16)
                    {
                        continue;
                    }

                    ReadOnlySpan<byte> value = record.Value.Span;
                    long sent = BinaryPrimitives.ReadInt64LittleEndian(value);
                    long sequence = BinaryPrimitives.ReadInt64LittleEndian(value[8..]);
                    Latency.Record((long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
                    owner.Received(sequence);
                }
            }
            catch (KafkaException e)
            {
                Error = e;
            }
        }
    }
}
