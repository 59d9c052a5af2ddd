using System.Buffers.Binary;
using System.Globalization;

namespace Samsa.Soak;

/// <summary>
/// The soak's workload: one producer at a steady rate, two long-lived group consumers, and a churn of
/// short-lived consumers joining and leaving the same group (each join and leave is a rebalance). Every
/// consumed record is checked against <see cref="OffsetLedger"/>s; after the run the producer flushes and the
/// long-lived consumers drain up to the last acknowledged offset of every partition.
/// </summary>
internal sealed class SoakRun
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(90);

    private readonly string _bootstrap;
    private readonly string _topic;
    private readonly PartitionAssignmentStrategy _assignor;
    private readonly int _partitions;
    private readonly int _rate;
    private readonly OffsetLedger[] _ledgers;
    private readonly CancellationTokenSource _drained = new();
    private Producer<byte[], byte[]>? _producer;
    private long _produced;
    private long _delivered;
    private long _failed;
    private long _consumed;
    private long _churns;
    private long _errors;

    public SoakRun(string bootstrap, string topic, int partitions, int rate, PartitionAssignmentStrategy assignor)
    {
        _bootstrap = bootstrap;
        _topic = topic;
        _partitions = partitions;
        _assignor = assignor;
        _rate = rate;
        Log = new SoakLog((partition, offset) => _ledgers![partition].Reset(offset));
        _ledgers = new OffsetLedger[partitions];
        for (int p = 0; p < partitions; p++)
        {
            _ledgers[p] = new OffsetLedger(p, partitions);
        }
    }

    public SoakLog Log { get; }

    public long Errors => Interlocked.Read(ref _errors);

    public long Produced => Interlocked.Read(ref _produced);

    public long Consumed => Interlocked.Read(ref _consumed);

    public bool Drained { get; private set; }

    public string Stats() => string.Create(CultureInfo.InvariantCulture,
        $"produced={Produced} delivered={Interlocked.Read(ref _delivered)} failed={Interlocked.Read(ref _failed)} " +
        $"consumed={Consumed} churns={Interlocked.Read(ref _churns)} errors={Errors} resets={Log.Count(SoakLog.OffsetResetEvent)} warnings={Log.Warnings}");

    /// <summary>Totals over partitions: seen, duplicates, missing (settled), holes (pending), wrong values, lag.</summary>
    public (long Seen, long Duplicates, long Missing, long Trimmed, long Holes, long WrongValues, long Lag) Check()
    {
        (long seen, long dup, long missing, long trimmed, long holes, long wrong, long lag) = (0, 0, 0, 0, 0, 0, 0);
        foreach (OffsetLedger ledger in _ledgers)
        {
            var c = ledger.Counts();
            seen += c.Seen;
            dup += c.Duplicates;
            missing += c.Missing;
            trimmed += c.Trimmed;
            holes += c.Holes;
            wrong += c.WrongValues;
            lag += c.Lag;
        }

        return (seen, dup, missing, trimmed, holes, wrong, lag);
    }

    public string CheckText()
    {
        var c = Check();
        return string.Create(CultureInfo.InvariantCulture,
            $"unique={c.Seen} dup={c.Duplicates} missing={c.Missing} trimmed={c.Trimmed} holes={c.Holes} wrong={c.WrongValues} lag={c.Lag}");
    }

    public string PerPartition()
    {
        var parts = new List<string>();
        foreach (OffsetLedger ledger in _ledgers)
        {
            var c = ledger.Counts();
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"p{ledger.Partition}: last={ledger.LastDelivered} max={ledger.Max} unique={c.Seen} dup={c.Duplicates} missing={c.Missing} trimmed={c.Trimmed} holes={c.Holes} wrong={c.WrongValues}"));
        }

        return string.Join(Environment.NewLine, parts);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        string group = "soak-group-" + Guid.NewGuid().ToString("N")[..8];
        Task produce = Task.Run(() => ProduceAsync(stop));
        Task[] consumers =
        [
            Task.Run(() => ConsumeAsync(group, stop)),
            Task.Run(() => ConsumeAsync(group, stop)),
        ];
        Task churn = Task.Run(() => ChurnAsync(group, stop));
        await produce;
        await churn;

        // The producer has flushed: the consumers now read up to every partition's last acknowledged offset.
        var limit = Task.Delay(DrainLimit);
        while (!AllConsumed() && !limit.IsCompleted)
        {
            await Task.Delay(200);
        }

        Drained = AllConsumed();
        await _drained.CancelAsync();
        await Task.WhenAll(consumers);
        foreach (OffsetLedger ledger in _ledgers)
        {
            ledger.Finish();
        }
    }

    private bool AllConsumed()
    {
        foreach (OffsetLedger ledger in _ledgers)
        {
            if (ledger.Max < ledger.LastDelivered)
            {
                return false;
            }
        }

        return true;
    }

    private async Task ProduceAsync(CancellationToken stop)
    {
        await using var producer = new Producer<byte[], byte[]>(new ProducerConfig { BootstrapServers = _bootstrap, Linger = TimeSpan.FromMilliseconds(5) },
            loggerFactory: Log);
        _producer = producer;
        var start = DateTime.UtcNow;
        long n = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Paced: produce what the rate allows so far, then sleep a little.
                long due = (long)((DateTime.UtcNow - start).TotalSeconds * _rate);
                while (n < due)
                {
                    byte[] value = new byte[100];
                    BinaryPrimitives.WriteInt64BigEndian(value, n);
                    try
                    {
                        producer.Produce(new TopicPartition(_topic, (int)(n % _partitions)), new Message<byte[], byte[]> { Value = value }, OnDelivery);
                        Interlocked.Increment(ref _produced);
                        n++;
                    }
                    catch (KafkaException ex) when (ex.Error == ErrorCode.LocalQueueFull)
                    {
                        break;
                    }
                }

                await Task.Delay(10, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        _producer = null;
    }

    /// <summary>Messages waiting in the producer (queued or in flight), -1 when it is gone.</summary>
    public long ProducerQueue => _producer is { } p ? p.QueueLength : -1;

    /// <summary>
    /// Free batches the producer keeps for reuse (its BatchPool; read by reflection, -1 if that changed): they
    /// keep their record buffers as grown, so their number says how much memory a past backlog left behind.
    /// </summary>
    public long PooledBatches => _producer is { } p ? ProducerProbe.PooledBatches(p) : -1;

    /// <summary>What those free batches hold (their buffers' capacities), in bytes; -1 when the producer is gone.</summary>
    public long PooledBytes => _producer is { } p ? ProducerProbe.PooledBytes(p) : -1;

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.IsError)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.Increment(ref _errors);
            Console.Error.WriteLine($"delivery failed: {report.Error} {report.ErrorMessage}");
        }
        else
        {
            Interlocked.Increment(ref _delivered);
            _ledgers[report.Partition].Delivered(report.Offset.Value);
        }
    }

    private ConsumerConfig ConsumerConfig(string group) => new()
    {
        BootstrapServers = _bootstrap,
        GroupId = group,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        PartitionAssignmentStrategies = [_assignor],

        // The test cluster completes a rebalance only when its timer runs out, session.timeout.ms − 1 s after
        // the group changed (it does not notice that every member has rejoined): with the default 45 s every
        // join or leave would stop the eager group for 44 s.
        SessionTimeout = TimeSpan.FromSeconds(10),
    };

    private Consumer<byte[], byte[]> NewConsumer(string group) =>
        new ConsumerBuilder<byte[], byte[]>(ConsumerConfig(group)).SetLoggerFactory(Log).Build();

    // Long-lived members: consume through the run and then through the drain.
    private async Task ConsumeAsync(string group, CancellationToken stop)
    {
        await using Consumer<byte[], byte[]> consumer = NewConsumer(group);
        consumer.Subscribe(_topic);
        while (!_drained.IsCancellationRequested)
        {
            ConsumeOne(consumer, "consume");
        }

        consumer.Close();
        GC.KeepAlive(stop);
    }

    private void ConsumeOne(Consumer<byte[], byte[]> consumer, string who)
    {
        try
        {
            ConsumeResult<byte[], byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && !result.IsPartitionEOF)
            {
                Interlocked.Increment(ref _consumed);
                long sequence = BinaryPrimitives.ReadInt64BigEndian(result.Message.Value);
                _ledgers[result.Partition].Consumed(result.Offset.Value, sequence);
            }
        }
        catch (KafkaException ex)
        {
            Interlocked.Increment(ref _errors);
            Console.Error.WriteLine($"{who} error: {ex.Error} {ex.Message}");
        }
    }

    private async Task ChurnAsync(string group, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), stop);
                await using Consumer<byte[], byte[]> consumer = NewConsumer(group);
                consumer.Subscribe(_topic);

                // A member closed before its first JoinGroup answered has no member id and cannot send
                // LeaveGroup: the cluster keeps it (and assigns it partitions nobody reads) until its session
                // times out. So each churned member first waits for its assignment, then consumes 10 s.
                DateTime joinBy = DateTime.UtcNow.AddSeconds(60);
                while (consumer.Assignment.Count == 0 && DateTime.UtcNow < joinBy && !stop.IsCancellationRequested)
                {
                    ConsumeOne(consumer, "churn consume");
                }

                DateTime until = DateTime.UtcNow.AddSeconds(10);
                while (DateTime.UtcNow < until && !stop.IsCancellationRequested)
                {
                    ConsumeOne(consumer, "churn consume");
                }

                consumer.Close();
                Interlocked.Increment(ref _churns);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
