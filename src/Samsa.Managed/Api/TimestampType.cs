namespace Samsa;

/// <summary>Where a record's timestamp came from.</summary>
public enum TimestampType
{
    /// <summary>No timestamp.</summary>
    NotAvailable = 0,

    /// <summary>Set by the producer when the record was created.</summary>
    CreateTime = 1,

    /// <summary>Set by the broker when it appended the record.</summary>
    LogAppendTime = 2,
}
