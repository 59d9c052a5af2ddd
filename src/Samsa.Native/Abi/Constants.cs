using Samsa.Native.Interop;

namespace Samsa.Native.Abi;

/// <summary>Constants of the C API (the error codes come from <see cref="ErrorCode"/>).</summary>
internal static class Constants
{
    [CConstant("Success: the value every function returns when it did what it was asked.")]
    public const int SAMSA_OK = 0;

    [CConstant("No partition: let the partitioner choose (samsa_produce), or not known (reports).")]
    public const int SAMSA_PARTITION_UA = -1;

    [CConstant("Offset: the start of the partition.")]
    public const long SAMSA_OFFSET_BEGINNING = -2;

    [CConstant("Offset: the end of the partition (the next message written).")]
    public const long SAMSA_OFFSET_END = -1;

    [CConstant("Offset: the group's committed offset.")]
    public const long SAMSA_OFFSET_STORED = -1000;

    [CConstant("Offset: none / unknown.")]
    public const long SAMSA_OFFSET_INVALID = -1001;

    [CConstant("Timestamp type: no timestamp.")]
    public const int SAMSA_TIMESTAMP_NOT_AVAILABLE = (int)TimestampType.NotAvailable;

    [CConstant("Timestamp type: set by the producer when the message was created.")]
    public const int SAMSA_TIMESTAMP_CREATE_TIME = (int)TimestampType.CreateTime;

    [CConstant("Timestamp type: set by the broker when it appended the message.")]
    public const int SAMSA_TIMESTAMP_LOG_APPEND_TIME = (int)TimestampType.LogAppendTime;

    [CConstant("Delivery status: the message is certainly not in the log.")]
    public const int SAMSA_MSG_STATUS_NOT_PERSISTED = (int)PersistenceStatus.NotPersisted;

    [CConstant("Delivery status: the message was sent but its outcome is unknown.")]
    public const int SAMSA_MSG_STATUS_POSSIBLY_PERSISTED = (int)PersistenceStatus.PossiblyPersisted;

    [CConstant("Delivery status: the broker acknowledged the message.")]
    public const int SAMSA_MSG_STATUS_PERSISTED = (int)PersistenceStatus.Persisted;

    [CConstant("Rebalance event: these partitions were assigned to this consumer.")]
    public const int SAMSA_REBALANCE_ASSIGNED = 1;

    [CConstant("Rebalance event: these partitions are being revoked (offsets may still be committed).")]
    public const int SAMSA_REBALANCE_REVOKED = 2;

    [CConstant("Rebalance event: these partitions were lost without a chance to commit.")]
    public const int SAMSA_REBALANCE_LOST = 3;

    [CConstant("Log level (syslog): error.")]
    public const int SAMSA_LOG_ERR = 3;

    [CConstant("Log level (syslog): warning.")]
    public const int SAMSA_LOG_WARNING = 4;

    [CConstant("Log level (syslog): informational.")]
    public const int SAMSA_LOG_INFO = 6;

    [CConstant("Log level (syslog): debug.")]
    public const int SAMSA_LOG_DEBUG = 7;
}
