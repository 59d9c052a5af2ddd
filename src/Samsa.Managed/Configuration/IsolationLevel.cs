namespace Samsa;

/// <summary>Which transactional records a consumer sees (isolation.level).</summary>
public enum IsolationLevel
{
    /// <summary>read_uncommitted: every record, including those of open and aborted transactions.</summary>
    ReadUncommitted,

    /// <summary>read_committed: only committed transactional records, up to the last stable offset.</summary>
    ReadCommitted,
}
