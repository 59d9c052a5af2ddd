namespace Samsa;

/// <summary>A message that was not delivered, with what is known of it.</summary>
public sealed class ProduceException<TKey, TValue> : KafkaException
{
    public ProduceException(ErrorCode error, string message, DeliveryResult<TKey, TValue> result, Exception? innerException = null)
        : base(error, message, innerException)
    {
        DeliveryResult = result;
    }

    public DeliveryResult<TKey, TValue> DeliveryResult { get; }
}
