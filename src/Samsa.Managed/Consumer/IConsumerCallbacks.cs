namespace Samsa.Consumer;

/// <summary>The application's handlers, as the public consumer exposes them; called on the poll thread.</summary>
internal interface IConsumerCallbacks
{
    /// <summary>Partitions were assigned; returns their start offsets, or null to start from the committed ones.</summary>
    IReadOnlyList<TopicPartitionOffset>? OnAssigned(IReadOnlyList<TopicPartition> partitions);

    /// <summary>Partitions are being revoked (positions given); the consumer commits them afterwards when auto-commit is on.</summary>
    void OnRevoked(IReadOnlyList<TopicPartitionOffset> partitions);

    /// <summary>Partitions were lost without a chance to commit.</summary>
    void OnLost(IReadOnlyList<TopicPartitionOffset> partitions);

    /// <summary>An error that did not stop consuming (broker down, failed auto-commit, ...).</summary>
    void OnError(KafkaException error);
}
