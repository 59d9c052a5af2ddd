using Microsoft.Extensions.Logging;

namespace Samsa.Consumer;

/// <summary>The consumer's log events (ids 4xxx, see Diagnostics/SamsaLog), source-generated.</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(4000, LogLevel.Debug, "{Partition}: broker {Broker} answered {Error}; refreshing metadata and fetching again")]
    public static partial void PartitionMoved(ILogger logger, string partition, int broker, string error);

    [LoggerMessage(4001, LogLevel.Information, "{Where}; resetting to {Reset} (auto.offset.reset)")]
    public static partial void OffsetReset(ILogger logger, string where, string reset);

    [LoggerMessage(4002, LogLevel.Debug, "{Partition}: fetching from preferred read replica {Replica} (KIP-392)")]
    public static partial void PreferredReplica(ILogger logger, string partition, int replica);

    [LoggerMessage(4003, LogLevel.Warning, "Fetch from broker {Broker} failed: {Reason}")]
    public static partial void FetchFailed(ILogger logger, int broker, string reason);

    [LoggerMessage(4004, LogLevel.Debug, "{Partition}: finding the start offset failed, retrying: {Reason}")]
    public static partial void ResolveRetry(ILogger logger, string partition, string reason);

    [LoggerMessage(4005, LogLevel.Debug, "Fetch session with broker {Broker} reset ({Error}); next fetch is full")]
    public static partial void SessionReset(ILogger logger, int broker, string error);

    [LoggerMessage(4006, LogLevel.Warning, "Automatic commit failed: {Reason}")]
    public static partial void AutoCommitFailed(ILogger logger, string reason);

    [LoggerMessage(4007, LogLevel.Error, "A {Handler} handler threw: {Reason}")]
    public static partial void HandlerFailed(ILogger logger, string handler, string reason);

    [LoggerMessage(4008, LogLevel.Warning, "Consumer error: {Reason}")]
    public static partial void ConsumerError(ILogger logger, string reason);

    [LoggerMessage(4009, LogLevel.Information, "Assignment changed: {Kind} {Partitions}")]
    public static partial void AssignmentChanged(ILogger logger, string kind, string partitions);

    [LoggerMessage(4011, LogLevel.Trace, "Fetch to broker {Broker}: {Partitions} partition(s) in the session ({Listed} listed), session {SessionId} epoch {Epoch}, max {MaxBytes} bytes")]
    public static partial void FetchSent(ILogger logger, int broker, int partitions, int listed, int sessionId, int epoch, int maxBytes);

    [LoggerMessage(4012, LogLevel.Trace, "Broker {Broker} fetcher waits: nothing to fetch (next backoff ends in {Milliseconds} ms)")]
    public static partial void FetcherIdle(ILogger logger, int broker, long milliseconds);

    [LoggerMessage(4013, LogLevel.Trace, "Broker {Broker} fetcher waits for memory: {Used} of {Limit} bytes in use")]
    public static partial void FetcherOverBudget(ILogger logger, int broker, long used, long limit);

    [LoggerMessage(4014, LogLevel.Error, "Broker {Broker} fetcher failed unexpectedly (retrying): {Reason}")]
    public static partial void FetcherCrashed(ILogger logger, int broker, string reason);

    [LoggerMessage(4015, LogLevel.Error, "The offset resolver failed unexpectedly (retrying): {Reason}")]
    public static partial void ResolverCrashed(ILogger logger, string reason);

    [LoggerMessage(4010, LogLevel.Warning, "Closing the consumer: {Step} failed: {Reason}")]
    public static partial void CloseStepFailed(ILogger logger, string step, string reason);
}
