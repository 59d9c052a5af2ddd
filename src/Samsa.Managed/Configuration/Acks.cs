namespace Samsa;

/// <summary>
/// How many acknowledgements the partition leader waits for before answering a produce request
/// (acks, alias request.required.acks).
/// </summary>
public enum Acks
{
    /// <summary>acks=0: the broker sends no response; delivery is not confirmed.</summary>
    None = 0,

    /// <summary>acks=1: the leader has written the records to its log.</summary>
    Leader = 1,

    /// <summary>acks=all (-1): every in-sync replica has the records. Required by the idempotent producer.</summary>
    All = -1,
}
