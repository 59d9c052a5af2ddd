namespace Samsa;

/// <summary>
/// An error raised by a consume call for a given partition: a record that could not be deserialized,
/// fetched data that is corrupt, an offset that is out of range with auto.offset.reset=error, and the like.
/// The consumer stays usable: consuming again continues (after the record, or once the partition is sought).
/// </summary>
public sealed class ConsumeException : KafkaException
{
    public ConsumeException(ErrorCode error, string message, TopicPartitionOffset? topicPartitionOffset = null, Exception? innerException = null)
        : base(error, message, innerException)
    {
        TopicPartitionOffset = topicPartitionOffset;
    }

    /// <summary>Where the error happened, when it concerns one partition.</summary>
    public TopicPartitionOffset? TopicPartitionOffset { get; }
}
