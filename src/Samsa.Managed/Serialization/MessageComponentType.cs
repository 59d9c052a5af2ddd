namespace Samsa;

/// <summary>Which part of a message a serializer is working on (the same values as Confluent.Kafka's).</summary>
public enum MessageComponentType
{
    /// <summary>The message key.</summary>
    Key = 0,

    /// <summary>The message value.</summary>
    Value = 1,
}
