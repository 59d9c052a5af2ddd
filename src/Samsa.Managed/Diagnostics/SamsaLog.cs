using Microsoft.Extensions.Logging;

namespace Samsa.Diagnostics;

/// <summary>
/// Every log event Samsa writes, source-generated (no boxing, no formatting unless enabled), with one table
/// of event ids: 1xxx network, 2xxx cluster, 3xxx producer, 4xxx consumer, 5xxx groups, 6xxx admin.
/// Secrets are never passed to these methods.
/// </summary>
internal static partial class SamsaLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Connecting to {Broker}")]
    public static partial void Connecting(ILogger logger, string broker);

    [LoggerMessage(1001, LogLevel.Debug, "Connected to {Broker}; negotiated {ApiCount} APIs (ApiVersions v{Version})")]
    public static partial void Connected(ILogger logger, string broker, int apiCount, short version);

    [LoggerMessage(1002, LogLevel.Information, "Connection to {Broker} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string broker, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "Connection to {Broker} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string broker, string reason);

    [LoggerMessage(1004, LogLevel.Warning, "Request {ApiKey} v{Version} (correlation id {CorrelationId}) to {Broker} timed out after {TimeoutMs} ms; closing the connection")]
    public static partial void RequestTimedOut(ILogger logger, string apiKey, short version, int correlationId, string broker, long timeoutMs);

    [LoggerMessage(1005, LogLevel.Error, "Protocol error on connection to {Broker}: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string broker, string reason);

    [LoggerMessage(1006, LogLevel.Debug, "Broker {Broker} does not support ApiVersions v{Version}; retrying with v{Retry}")]
    public static partial void ApiVersionsDowngrade(ILogger logger, string broker, short version, short retry);

    [LoggerMessage(1007, LogLevel.Debug, "Re-authenticated with {Broker} (KIP-368); session lifetime {LifetimeMs} ms")]
    public static partial void Reauthenticated(ILogger logger, string broker, long lifetimeMs);

    [LoggerMessage(1008, LogLevel.Warning, "Re-authentication with {Broker} failed: {Reason}")]
    public static partial void ReauthenticationFailed(ILogger logger, string broker, string reason);

    [LoggerMessage(1009, LogLevel.Debug, "Connection to {Broker} failed the security setup: {Reason}")]
    public static partial void SecuritySetupFailed(ILogger logger, string broker, string reason);

    [LoggerMessage(2100, LogLevel.Error, "Security failure (reported once until a connection succeeds): {Reason}")]
    public static partial void SecurityFailure(ILogger logger, string reason);
}
