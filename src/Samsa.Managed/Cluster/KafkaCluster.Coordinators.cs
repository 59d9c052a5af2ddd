using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Cluster;

internal sealed partial class KafkaCluster
{
    private readonly Dictionary<(CoordinatorType, string), BrokerNode> _coordinators = [];
    private readonly Lock _coordinatorLock = new();

    /// <summary>
    /// The coordinator of a group (or transactional id), from the cache or FindCoordinator. Transient errors
    /// (COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS) are thrown as retriable KafkaExceptions.
    /// </summary>
    public async ValueTask<BrokerNode> FindCoordinatorAsync(CoordinatorType type, string key, CancellationToken cancellationToken)
    {
        lock (_coordinatorLock)
        {
            if (_coordinators.TryGetValue((type, key), out BrokerNode? cached))
            {
                return cached;
            }
        }

        KafkaConnection connection = await GetAnyConnectionAsync(cancellationToken).ConfigureAwait(false);
        short version = connection.ResolveVersion(ApiKey.FindCoordinator);
        var request = new FindCoordinatorRequest { KeyType = (sbyte)type };
        if (version >= 4)
        {
            request.CoordinatorKeys.Add(key);
        }
        else
        {
            request.Key = key;
        }

        FindCoordinatorResponse response = await connection.SendAsync<FindCoordinatorRequest, FindCoordinatorResponse>(request, cancellationToken, version).ConfigureAwait(false);
        short error;
        string? message;
        BrokerNode node;
        if (version >= 4)
        {
            FindCoordinatorResponse.Coordinator c = response.Coordinators.Find(x => x.Key == key)
                ?? throw new ProtocolException($"FindCoordinator response has no entry for '{key}'.");
            (error, message, node) = (c.ErrorCode, c.ErrorMessage, new BrokerNode(c.NodeId, c.Host, c.Port, null));
        }
        else
        {
            (error, message, node) = (response.ErrorCode, response.ErrorMessage, new BrokerNode(response.NodeId, response.Host, response.Port, null));
        }

        if (error != 0)
        {
            var code = (ErrorCode)error;
            throw new KafkaException(code, $"No coordinator for {type.ToString().ToLowerInvariant()} '{key}': {message ?? code.Describe()}");
        }

        lock (_coordinatorLock)
        {
            _coordinators[(type, key)] = node;
        }

        return node;
    }

    /// <summary>Forgets a cached coordinator (after NOT_COORDINATOR or a lost connection).</summary>
    public void InvalidateCoordinator(CoordinatorType type, string key)
    {
        lock (_coordinatorLock)
        {
            _coordinators.Remove((type, key));
        }
    }
}
