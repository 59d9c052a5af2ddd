using System.Buffers.Binary;
using System.Globalization;

namespace Samsa.Soak;

/// <summary>
/// The soak's workload: one producer at a steady rate, two long-lived group consumers, and a churn of
/// short-lived consumers joining and leaving the same group (each join and leave is a rebalance).
/// </summary>
internal sealed class SoakRun(string bootstrap, string topic, int partitions, int rate)
{
    private long _produced;
    private long _delivered;
    private long _failed;
    private long _consumed;
    private long _churns;
    private long _errors;

    public long Errors => Interlocked.Read(ref _errors);

    public string Stats() => string.Create(CultureInfo.InvariantCulture,
        $"produced={Interlocked.Read(ref _produced)} delivered={Interlocked.Read(ref _delivered)} failed={Interlocked.Read(ref _failed)} " +
        $"consumed={Interlocked.Read(ref _consumed)} churns={Interlocked.Read(ref _churns)} errors={Errors}");

    public async Task RunAsync(CancellationToken stop)
    {
        string group = "soak-group-" + Guid.NewGuid().ToString("N")[..8];
        Task[] tasks =
        [
            Task.Run(() => ProduceAsync(stop)),
            Task.Run(() => ConsumeAsync(group, stop)),
            Task.Run(() => ConsumeAsync(group, stop)),
            Task.Run(() => ChurnAsync(group, stop)),
        ];
        await Task.WhenAll(tasks);
    }

    private async Task ProduceAsync(CancellationToken stop)
    {
        await using var producer = new Producer<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Linger = TimeSpan.FromMilliseconds(5) });
        var start = DateTime.UtcNow;
        long n = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Paced: produce what the rate allows so far, then sleep a little.
                long due = (long)((DateTime.UtcNow - start).TotalSeconds * rate);
                while (n < due)
                {
                    byte[] value = new byte[100];
                    BinaryPrimitives.WriteInt64BigEndian(value, n);
                    try
                    {
                        producer.Produce(new TopicPartition(topic, (int)(n % partitions)), new Message<byte[], byte[]> { Value = value }, OnDelivery);
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
    }

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
        }
    }

    private ConsumerConfig ConsumerConfig(string group) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        AutoOffsetReset = AutoOffsetReset.Earliest,
    };

    private async Task ConsumeAsync(string group, CancellationToken stop)
    {
        await using Consumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig(group)).Build();
        consumer.Subscribe(topic);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not null)
                {
                    Interlocked.Increment(ref _consumed);
                }
            }
            catch (KafkaException ex)
            {
                Interlocked.Increment(ref _errors);
                Console.Error.WriteLine($"consume error: {ex.Error} {ex.Message}");
            }
        }

        consumer.Close();
    }

    private async Task ChurnAsync(string group, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), stop);
                await using Consumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig(group)).Build();
                consumer.Subscribe(topic);
                DateTime until = DateTime.UtcNow.AddSeconds(10);
                while (DateTime.UtcNow < until && !stop.IsCancellationRequested)
                {
                    try
                    {
                        if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not null)
                        {
                            Interlocked.Increment(ref _consumed);
                        }
                    }
                    catch (KafkaException ex)
                    {
                        Interlocked.Increment(ref _errors);
                        Console.Error.WriteLine($"churn consume error: {ex.Error} {ex.Message}");
                    }
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
