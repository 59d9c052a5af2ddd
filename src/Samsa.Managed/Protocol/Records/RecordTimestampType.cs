namespace Samsa.Protocol.Records;

/// <summary>Where a batch's timestamps come from (bit 3 of the batch attributes).</summary>
public enum RecordTimestampType
{
    /// <summary>The producer set each record's timestamp.</summary>
    CreateTime = 0,

    /// <summary>The broker stamped the batch when it appended it; every record's timestamp is the batch's MaxTimestamp.</summary>
    LogAppendTime = 1,
}
