using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Network;
using Samsa.Protocol;

namespace Samsa.Admin;

/// <summary>
/// What every admin operation needs: the cluster (metadata, connections, coordinators), the client's timeouts,
/// and routing to where the protocol sends each request (the controller, a group's coordinator, a partition's
/// leader, a named broker).
/// </summary>
internal sealed class AdminContext
{
    private volatile bool _controllerStale;

    public AdminContext(KafkaCluster cluster, TimeSpan requestTimeout, TimeSpan retryBackoff, TimeSpan retryBackoffMax, ILogger logger)
    {
        Cluster = cluster;
        RequestTimeout = requestTimeout;
        RetryBackoff = retryBackoff;
        RetryBackoffMax = retryBackoffMax;
        Logger = logger;
    }

    public KafkaCluster Cluster { get; }

    public TimeSpan RequestTimeout { get; }

    public TimeSpan RetryBackoff { get; }

    public TimeSpan RetryBackoffMax { get; }

    public ILogger Logger { get; }

    public AdminCall Begin(string operation, AdminOptions? options, CancellationToken cancellationToken) =>
        new(operation, options ?? AdminOptions.Default, RequestTimeout, RetryBackoff, RetryBackoffMax, cancellationToken);

    /// <summary>
    /// The connection to the controller (Metadata's ControllerId), refreshing metadata first when the
    /// controller is unknown or a broker said NOT_CONTROLLER since the last refresh.
    /// </summary>
    public async Task<KafkaConnection> ControllerAsync(AdminCall call, ApiKey api)
    {
        ClusterMetadata metadata = Cluster.Metadata;
        if (_controllerStale || metadata.ControllerId < 0 || !metadata.Brokers.ContainsKey(metadata.ControllerId))
        {
            _controllerStale = false;
            metadata = await Cluster.RefreshAsync(call.Token).ConfigureAwait(false);
        }

        if (metadata.ControllerId < 0 || !metadata.Brokers.ContainsKey(metadata.ControllerId))
        {
            // No usable controller id (an election, or a cluster that does not say): any broker will do. KRaft
            // brokers forward controller requests themselves; a broker that cannot answers NOT_CONTROLLER, which
            // is retried after another metadata refresh.
            _controllerStale = true;
            return await AnyBrokerAsync(call, api).ConfigureAwait(false);
        }

        KafkaConnection connection = await Cluster.GetConnectionAsync(metadata.ControllerId, call.Token).ConfigureAwait(false);
        return Supported(connection, api);
    }

    /// <summary>A broker answered NOT_CONTROLLER: the next <see cref="ControllerAsync"/> refreshes metadata.</summary>
    public void ControllerMoved() => _controllerStale = true;

    /// <summary>The connection to a broker by id (refreshing metadata when the id is not known yet).</summary>
    public async Task<KafkaConnection> BrokerAsync(AdminCall call, int nodeId, ApiKey api)
    {
        if (!Cluster.Metadata.Brokers.ContainsKey(nodeId))
        {
            ClusterMetadata metadata = await Cluster.RefreshAsync(call.Token).ConfigureAwait(false);
            if (!metadata.Brokers.ContainsKey(nodeId))
            {
                throw new KafkaException(ErrorCode.BrokerNotAvailable, $"Broker {nodeId} is not in the cluster.");
            }
        }

        KafkaConnection connection = await Cluster.GetConnectionAsync(nodeId, call.Token).ConfigureAwait(false);
        return Supported(connection, api);
    }

    /// <summary>Any broker's connection (for requests any broker answers).</summary>
    public async Task<KafkaConnection> AnyBrokerAsync(AdminCall call, ApiKey api)
    {
        KafkaConnection connection = await Cluster.GetAnyConnectionAsync(call.Token).ConfigureAwait(false);
        return Supported(connection, api);
    }

    /// <summary>The coordinator of a group and the connection to it.</summary>
    public async Task<(BrokerNode Node, KafkaConnection Connection)> CoordinatorAsync(AdminCall call, string groupId, ApiKey api)
    {
        BrokerNode node = await Cluster.FindCoordinatorAsync(CoordinatorType.Group, groupId, call.Token).ConfigureAwait(false);
        KafkaConnection connection;
        try
        {
            connection = await Cluster.GetConnectionAsync(node, call.Token).ConfigureAwait(false);
        }
        catch (KafkaException)
        {
            Cluster.InvalidateCoordinator(CoordinatorType.Group, groupId);
            throw;
        }

        return (node, Supported(connection, api));
    }

    /// <summary>Forgets a group's coordinator after NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE.</summary>
    public void CoordinatorMoved(string groupId) => Cluster.InvalidateCoordinator(CoordinatorType.Group, groupId);

    /// <summary>Metadata that covers <paramref name="topics"/> (refreshed now, so leaders are current).</summary>
    public async Task<ClusterMetadata> MetadataForAsync(AdminCall call, IEnumerable<string> topics, bool refresh)
    {
        Cluster.AddTopics(topics);
        return refresh ? await Cluster.RefreshAsync(call.Token).ConfigureAwait(false) : Cluster.Metadata;
    }

    /// <summary>
    /// Throws a clear UNSUPPORTED_VERSION error (not retried) when the broker does not offer the API at all:
    /// sending it anyway would only get the connection closed.
    /// </summary>
    public static KafkaConnection Supported(KafkaConnection connection, ApiKey api)
    {
        if (!connection.ApiVersions.Supports(api))
        {
            throw new KafkaException(ErrorCode.UnsupportedVersion,
                $"Broker {connection.Name} does not support {api} (it offers {connection.ApiVersions.Broker(api)}, this client {ClientApiVersions.For(api)}).");
        }

        return connection;
    }

    /// <summary>The broker's error message, or the code's description.</summary>
    public static string? Message(ErrorCode error, string? message) =>
        error == ErrorCode.None ? null : string.IsNullOrEmpty(message) ? error.Describe() : message;
}
