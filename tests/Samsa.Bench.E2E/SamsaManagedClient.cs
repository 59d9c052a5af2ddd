namespace Samsa.Bench.E2E;

/// <summary>Samsa.Managed through its typed API (Producer&lt;Null, byte[]&gt;, Consumer&lt;Ignore, byte[]&gt;), as Confluent.Kafka is used.</summary>
internal static class SamsaManagedClient
{
    public const string Name = "samsa-managed";

    public static void Produce(Workload w)
    {
        using IProducer<Null, byte[]> producer = new ProducerBuilder<Null, byte[]>(w.ProducerProperties()).Build();
        var message = new Message<Null, byte[]> { Value = new byte[w.Size] };
        var done = new ManualResetEventSlim();
        long delivered = 0, errors = 0, queueFull = 0;
        void OnDelivery(DeliveryReport<Null, byte[]> report)
        {
            if (report.IsError)
            {
                Interlocked.Increment(ref errors);
            }

            if (Interlocked.Increment(ref delivered) == w.Messages)
            {
                done.Set();
            }
        }

        Action<DeliveryReport<Null, byte[]>> handler = OnDelivery; // one delegate, as an application keeps it
        var m = new ClientMeasurement();
        m.Start();
        for (long i = 0; i < w.Messages; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(w.Topic, message, handler);
                    break;
                }
                catch (KafkaException e) when (e.Error == ErrorCode.LocalQueueFull)
                {
                    queueFull++;
                    Thread.Sleep(1); // the queue is full: let deliveries make room, as every client here does
                }
            }
        }

        producer.Flush(Timeout.InfiniteTimeSpan);
        done.Wait();
        m.Stop();
        m.Print(Name, "produce", w.Messages - errors, (w.Messages - errors) * w.Size, errors, queueFull);
    }

    public static void Consume(Workload w)
    {
        using IConsumer<Ignore, byte[]> consumer = new ConsumerBuilder<Ignore, byte[]>(w.ConsumerProperties()).Build();
        var assignment = new List<TopicPartitionOffset>(w.Partitions);
        for (int p = 0; p < w.Partitions; p++)
        {
            assignment.Add(new TopicPartitionOffset(w.Topic, p, Offset.Beginning));
        }

        long count = 0, bytes = 0;
        var m = new ClientMeasurement();
        var idle = new IdleTracker(m, w.IdleMs);
        m.Start();
        consumer.Assign(assignment);
        while (count < w.Messages)
        {
            ConsumeResult<Ignore, byte[]>? r = consumer.Consume(100);
            if (r is null)
            {
                if (idle.Expired(count))
                {
                    break;
                }

                continue;
            }

            idle.Reset();
            count++;
            bytes += r.Message.Value.Length;
        }

        idle.Stop(count == w.Messages);
        m.Print(Name, "consume-" + w.Profile, count, bytes, 0);
    }
}
