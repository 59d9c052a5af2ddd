namespace Samsa.Protocol.Records;

/// <summary>
/// The batch header fields a producer decides only when it sends a batch: the idempotent/transactional identity,
/// the first record's sequence number, and the partition leader epoch.
/// </summary>
public readonly struct RecordBatchProducerFields
{
    /// <summary>Creates the fields.</summary>
    public RecordBatchProducerFields(
        long producerId = -1,
        short producerEpoch = -1,
        int baseSequence = -1,
        bool isTransactional = false,
        int partitionLeaderEpoch = -1)
    {
        ProducerId = producerId;
        ProducerEpoch = producerEpoch;
        BaseSequence = baseSequence;
        IsTransactional = isTransactional;
        PartitionLeaderEpoch = partitionLeaderEpoch;
    }

    /// <summary>No producer identity: a plain (non-idempotent) producer's batch.</summary>
    public static RecordBatchProducerFields None => new(-1, -1, -1, false, -1);

    /// <summary>Producer id, or -1.</summary>
    public long ProducerId { get; }

    /// <summary>Producer epoch, or -1.</summary>
    public short ProducerEpoch { get; }

    /// <summary>Sequence of the first record, or -1.</summary>
    public int BaseSequence { get; }

    /// <summary>True when the batch is part of a transaction.</summary>
    public bool IsTransactional { get; }

    /// <summary>Partition leader epoch, or -1 (brokers overwrite it).</summary>
    public int PartitionLeaderEpoch { get; }
}
