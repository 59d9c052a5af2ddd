using Microsoft.Extensions.Logging;

namespace Samsa.Groups;

/// <summary>Group membership's log events (ids 5xxx, as SamsaLog reserves for groups).</summary>
internal static partial class GroupLog
{
    [LoggerMessage(5000, LogLevel.Debug, "Group {GroupId}: coordinator is {Coordinator}")]
    public static partial void CoordinatorFound(ILogger logger, string groupId, string coordinator);

    [LoggerMessage(5001, LogLevel.Information, "Group {GroupId}: coordinator lost ({Reason}); rediscovering")]
    public static partial void CoordinatorLost(ILogger logger, string groupId, string reason);

    [LoggerMessage(5002, LogLevel.Information, "Group {GroupId}: joined generation {Generation} as {MemberId} (leader {Leader}, protocol {Protocol})")]
    public static partial void Joined(ILogger logger, string groupId, int generation, string memberId, string leader, string? protocol);

    [LoggerMessage(5003, LogLevel.Information, "Group {GroupId}: assigned {Count} partition(s) in generation {Generation}: {Partitions}")]
    public static partial void Assigned(ILogger logger, string groupId, int count, int generation, string partitions);

    [LoggerMessage(5004, LogLevel.Information, "Group {GroupId}: rejoining: {Reason}")]
    public static partial void Rejoining(ILogger logger, string groupId, string reason);

    [LoggerMessage(5005, LogLevel.Warning, "Group {GroupId}: {Operation} failed: {Reason}")]
    public static partial void OperationFailed(ILogger logger, string groupId, string operation, string reason);

    [LoggerMessage(5006, LogLevel.Warning, "Group {GroupId}: max.poll.interval.ms ({MaxPollMs} ms) exceeded without a poll; leaving the group, {Count} partition(s) lost")]
    public static partial void MaxPollExceeded(ILogger logger, string groupId, long maxPollMs, int count);

    [LoggerMessage(5007, LogLevel.Information, "Group {GroupId}: member {MemberId} leaving the group")]
    public static partial void Leaving(ILogger logger, string groupId, string memberId);

    [LoggerMessage(5008, LogLevel.Error, "Group {GroupId}: fatal error: {Reason}")]
    public static partial void Fatal(ILogger logger, string groupId, string reason);

    [LoggerMessage(5009, LogLevel.Debug, "Group {GroupId}: leader assigned {Protocol} over {Members} member(s) and {Topics} topic(s)")]
    public static partial void LeaderAssigned(ILogger logger, string groupId, string protocol, int members, int topics);

    [LoggerMessage(5010, LogLevel.Information, "Group {GroupId}: member {MemberId} epoch {Epoch}: {Message}")]
    public static partial void MemberState(ILogger logger, string groupId, string memberId, int epoch, string message);

    [LoggerMessage(5011, LogLevel.Warning, "Group {GroupId}: the background loop failed unexpectedly; restarting it: {Reason}")]
    public static partial void LoopFailed(ILogger logger, string groupId, string reason);
}
