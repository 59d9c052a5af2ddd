namespace Samsa.Groups;

/// <summary>
/// A group error that a later attempt may get past, although Kafka does not classify its code as retriable:
/// a commit refused with ILLEGAL_GENERATION or REBALANCE_IN_PROGRESS succeeds once the member has rejoined.
/// </summary>
internal sealed class RetriableGroupException : KafkaException
{
    public RetriableGroupException(ErrorCode error, string message, Exception? innerException = null)
        : base(error, message, innerException)
    {
    }

    public override bool IsRetriable => true;
}

/// <summary>Helpers for the errors group requests return.</summary>
internal static class GroupErrors
{
    /// <summary>Commit errors that only mean the membership is changing: rejoin, then commit again.</summary>
    public static bool IsMembershipChange(ErrorCode error) => error is
        ErrorCode.IllegalGeneration or ErrorCode.RebalanceInProgress or ErrorCode.UnknownMemberId
        or ErrorCode.StaleMemberEpoch or ErrorCode.FencedMemberEpoch;

    /// <summary>Errors after which the same request goes again (to the same or a rediscovered coordinator).</summary>
    public static bool IsRetryable(ErrorCode error) => error is
        ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable or ErrorCode.CoordinatorLoadInProgress
        or ErrorCode.RequestTimedOut or ErrorCode.NetworkException or ErrorCode.UnstableOffsetCommit;

    /// <summary>The exception for one broker error; membership changes are retriable.</summary>
    public static KafkaException For(ErrorCode error, string message) =>
        IsMembershipChange(error) ? new RetriableGroupException(error, message) : new KafkaException(error, message);
}
