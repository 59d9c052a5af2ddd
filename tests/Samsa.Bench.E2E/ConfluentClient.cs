using CK = Confluent.Kafka;

namespace Samsa.Bench.E2E;

/// <summary>Confluent.Kafka (librdkafka 2.16.0 underneath) through its typed API, as Samsa.Managed is used.</summary>
internal static class ConfluentClient
{
    public const string Name = "confluent";

    public static void Produce(Workload w)
    {
        Samsa.TestSupport.Librdkafka.LoadForConfluentKafka();
        using CK.IProducer<CK.Null, byte[]> producer = new CK.ProducerBuilder<CK.Null, byte[]>(w.ProducerProperties()).Build();
        var message = new CK.Message<CK.Null, byte[]> { Value = new byte[w.Size] };
        var done = new ManualResetEventSlim();
        long delivered = 0, errors = 0, queueFull = 0;
        void OnDelivery(CK.DeliveryReport<CK.Null, byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref errors);
            }

            if (Interlocked.Increment(ref delivered) == w.Messages)
            {
                done.Set();
            }
        }

        Action<CK.DeliveryReport<CK.Null, byte[]>> handler = OnDelivery; // one delegate, as an application keeps it
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
                catch (CK.ProduceException<CK.Null, byte[]> e) when (e.Error.Code == CK.ErrorCode.Local_QueueFull)
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
        Samsa.TestSupport.Librdkafka.LoadForConfluentKafka();
        using CK.IConsumer<CK.Ignore, byte[]> consumer = new CK.ConsumerBuilder<CK.Ignore, byte[]>(w.ConsumerProperties()).Build();
        var assignment = new List<CK.TopicPartitionOffset>(w.Partitions);
        for (int p = 0; p < w.Partitions; p++)
        {
            assignment.Add(new CK.TopicPartitionOffset(w.Topic, p, CK.Offset.Beginning));
        }

        long count = 0, bytes = 0;
        var m = new ClientMeasurement();
        var idle = new IdleTracker(m, w.IdleMs);
        m.Start();
        consumer.Assign(assignment);
        while (count < w.Messages)
        {
            CK.ConsumeResult<CK.Ignore, byte[]>? r = consumer.Consume(100);
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
