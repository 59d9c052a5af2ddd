using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Network;

namespace Samsa.Groups;

/// <summary>
/// Finds a group's coordinator and keeps a connection of its own to it (ConnectionPurpose.Coordinator), so that
/// heartbeats never wait behind fetches. Coordinator errors and lost connections invalidate it; the next call
/// rediscovers it.
/// </summary>
internal sealed class GroupCoordinator
{
    private readonly KafkaCluster _cluster;
    private readonly GroupSettings _settings;
    private readonly ILogger _logger;
    private BrokerNode? _node;

    public GroupCoordinator(KafkaCluster cluster, GroupSettings settings, ILogger logger)
    {
        _cluster = cluster;
        _settings = settings;
        _logger = logger;
    }

    /// <summary>The coordinator last found, or null.</summary>
    public BrokerNode? Node => Volatile.Read(ref _node);

    /// <summary>True for the errors that mean "ask someone else": the coordinator moved or is not up.</summary>
    public static bool IsCoordinatorError(ErrorCode error) =>
        error is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable;

    /// <summary>True for errors of the connection itself (the request may not have reached the coordinator).</summary>
    public static bool IsTransportError(KafkaException ex) =>
        ex.Error is ErrorCode.LocalTransport or ErrorCode.LocalTimedOut or ErrorCode.LocalAllBrokersDown
            or ErrorCode.LocalResolve or ErrorCode.LocalProtocol or ErrorCode.BrokerNotAvailable or ErrorCode.NetworkException;

    /// <summary>
    /// The connection to the coordinator, finding it first when needed. Retriable lookup errors are retried with
    /// backoff until <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public async ValueTask<KafkaConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        int attempt = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                BrokerNode node = await _cluster.FindCoordinatorAsync(CoordinatorType.Group, _settings.GroupId, cancellationToken).ConfigureAwait(false);
                if (!Equals(Volatile.Read(ref _node), node))
                {
                    Volatile.Write(ref _node, node);
                    GroupLog.CoordinatorFound(_logger, _settings.GroupId, node.ToString());
                }

                return await _cluster.GetConnectionAsync(node, cancellationToken, ConnectionPurpose.Coordinator).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (ex.IsRetriable || IsTransportError(ex))
            {
                Invalidate(ex.Message);
                await Task.Delay(Backoff(attempt++), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Forgets the coordinator (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a lost connection).</summary>
    public void Invalidate(string reason)
    {
        _cluster.InvalidateCoordinator(CoordinatorType.Group, _settings.GroupId);
        if (Interlocked.Exchange(ref _node, null) is not null)
        {
            GroupLog.CoordinatorLost(_logger, _settings.GroupId, reason);
        }
    }

    /// <summary>retry.backoff.ms doubling per attempt up to retry.backoff.max.ms, with ±20 % jitter.</summary>
    public TimeSpan Backoff(int attempt)
    {
        double ms = _settings.RetryBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        ms = Math.Min(ms, _settings.RetryBackoffMax.TotalMilliseconds);
        ms *= 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Max(1, ms));
    }
}
