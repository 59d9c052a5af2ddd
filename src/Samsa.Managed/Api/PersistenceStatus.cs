namespace Samsa;

/// <summary>Whether a produced message is known to be in the log.</summary>
public enum PersistenceStatus
{
    /// <summary>The message is certainly not in the log.</summary>
    NotPersisted = 0,

    /// <summary>The message was sent but its outcome is unknown (for example, the response never came).</summary>
    PossiblyPersisted = 1,

    /// <summary>The broker acknowledged the message.</summary>
    Persisted = 2,
}
