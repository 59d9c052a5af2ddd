namespace Samsa;

/// <summary>A Kafka producer of keys of type <typeparamref name="TKey"/> and values of type <typeparamref name="TValue"/>.</summary>
public interface IProducer<TKey, TValue> : IAsyncDisposable, IDisposable
{
    /// <summary>client.id plus an instance number.</summary>
    string Name { get; }

    /// <summary>Messages accepted and not yet reported.</summary>
    long QueueLength { get; }

    /// <summary>Produces a message and completes with its delivery result (or throws <see cref="ProduceException{TKey, TValue}"/>).</summary>
    ValueTask<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default);

    /// <summary>Produces a message to a given partition.</summary>
    ValueTask<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default);

    /// <summary>Produces without waiting; the handler (if any) gets the report on the delivery thread. Throws at once when the queue is full.</summary>
    void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null);

    /// <summary>Produces to a given partition without waiting.</summary>
    void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null);

    /// <summary>Produces without waiting and without allocating per message; the handler gets a <see cref="DeliveryEvent"/>.</summary>
    void Produce(string topic, Message<TKey, TValue> message, IDeliveryHandler handler, object? state = null);

    /// <summary>Produces to a given partition without waiting and without allocating per message.</summary>
    void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, IDeliveryHandler handler, object? state = null);

    /// <summary>Waits until every message is reported or the timeout passes; returns how many are still queued.</summary>
    int Flush(TimeSpan timeout);

    /// <summary>Waits until every message is reported.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
