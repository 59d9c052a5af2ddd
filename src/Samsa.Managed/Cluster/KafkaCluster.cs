using Samsa.Network;

namespace Samsa.Cluster;

/// <summary>
/// A client's view of the cluster: the metadata cache (refreshed periodically and on demand), one connection
/// per broker, and leader and coordinator lookup. Producers, consumers and the admin client each own one.
/// </summary>
internal sealed partial class KafkaCluster : IAsyncDisposable
{
    private readonly ClusterOptions _options;
    private readonly BrokerConnections _connections;
    private readonly CancellationTokenSource _disposed = new();
    private volatile ClusterMetadata _metadata = ClusterMetadata.Empty;
    private KafkaException? _securityError;

    public KafkaCluster(ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BootstrapServers.Count == 0)
        {
            throw new ConfigException("bootstrap.servers", null, "bootstrap.servers is empty: at least one broker address is required.");
        }

        _options = options;
        _connections = new BrokerConnections(options);
        _connections.ConnectionLost += (node, reason) =>
        {
            if (reason is KafkaException k && KafkaConnection.IsSecurityError(k.Error))
            {
                OnSecurityFailure(node, k); // a failed re-authentication
            }

            ConnectionLost?.Invoke(node);
        };
        _connections.SecurityFailure += OnSecurityFailure;
        _connections.ConnectionEstablished += _ => Volatile.Write(ref _securityError, null);
        _refreshLoop = Task.Run(RefreshLoopAsync);

        // Learn the brokers right away, as librdkafka does, so that the first request finds a connection.
        RequestRefresh();
    }

    public ClusterOptions Options => _options;

    /// <summary>The latest metadata snapshot (never null; empty before the first refresh).</summary>
    public ClusterMetadata Metadata => _metadata;

    /// <summary>Raised after each successful metadata refresh, with the new snapshot.</summary>
    public event Action<ClusterMetadata>? MetadataUpdated;

    /// <summary>Raised when a connection to a broker closes.</summary>
    public event Action<int>? ConnectionLost;

    /// <summary>
    /// Raised when a connection fails its TLS or SASL set-up or re-authentication (the node id and the error):
    /// clients fail the work that waits for that broker with the error instead of letting it time out.
    /// </summary>
    public event Action<int, KafkaException>? SecurityFailure;

    /// <summary>
    /// Raised for the first TLS or SASL failure after a success (or ever): what an error handler should hear once,
    /// where <see cref="SecurityFailure"/> fires at each failed attempt.
    /// </summary>
    public event Action<KafkaException>? SecurityErrorRaised;

    /// <summary>The last TLS or SASL failure, until a connection succeeds again; null when there is none.</summary>
    public KafkaException? SecurityError => Volatile.Read(ref _securityError);

    /// <summary>Cancelled when the cluster is disposed.</summary>
    public CancellationToken ShutdownToken => _disposed.Token;

    /// <summary>The connection to a broker known from metadata.</summary>
    public ValueTask<KafkaConnection> GetConnectionAsync(int nodeId, CancellationToken cancellationToken, ConnectionPurpose purpose = ConnectionPurpose.Default)
    {
        if (!_metadata.Brokers.TryGetValue(nodeId, out BrokerNode? node))
        {
            RequestRefresh();
            return ValueTask.FromException<KafkaConnection>(new KafkaException(ErrorCode.BrokerNotAvailable,
                $"Broker {nodeId} is not in the cluster metadata (yet); metadata is being refreshed."));
        }

        return _connections.GetAsync(nodeId, node.Address, purpose, cancellationToken);
    }

    /// <summary>A connection to a specific address (a coordinator the metadata may not list yet).</summary>
    public ValueTask<KafkaConnection> GetConnectionAsync(BrokerNode node, CancellationToken cancellationToken, ConnectionPurpose purpose = ConnectionPurpose.Default) =>
        _connections.GetAsync(node.NodeId, node.Address, purpose, cancellationToken);

    /// <summary>The connection, only if it is up now.</summary>
    public KafkaConnection? TryGetConnected(int nodeId, ConnectionPurpose purpose = ConnectionPurpose.Default) =>
        _connections.TryGetConnected(nodeId, purpose);

    /// <summary>
    /// Any usable connection, for requests any broker can answer: the connected broker with the fewest requests
    /// in flight, else each known broker in random order, else each bootstrap address.
    /// </summary>
    public async ValueTask<KafkaConnection> GetAnyConnectionAsync(CancellationToken cancellationToken)
    {
        KafkaConnection? best = null;
        foreach (KafkaConnection c in _connections.Connected())
        {
            if (best is null || c.InFlight < best.InFlight)
            {
                best = c;
            }
        }

        if (best is not null)
        {
            return best;
        }

        var candidates = new List<(int NodeId, BrokerAddress Address)>();
        foreach (BrokerNode b in _metadata.Brokers.Values)
        {
            candidates.Add((b.NodeId, b.Address));
        }

        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates));
        for (int i = 0; i < _options.BootstrapServers.Count; i++)
        {
            // Bootstrap connections use negative ids so they never collide with a broker's node id.
            candidates.Add((-1 - i, _options.BootstrapServers[i]));
        }

        // Prefer candidates that are not backing off; but if all are, try them anyway (waiting their backoff).
        candidates.Sort((a, b) => _connections.IsReachableNow(b.NodeId).CompareTo(_connections.IsReachableNow(a.NodeId)));
        KafkaException? last = null;
        foreach (var (nodeId, address) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await _connections.GetAsync(nodeId, address, ConnectionPurpose.Default, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (ex.IsRetriable || ex.Error is ErrorCode.LocalTransport or ErrorCode.LocalResolve)
            {
                last = ex;
            }
        }

        throw new KafkaException(ErrorCode.LocalAllBrokersDown,
            $"No broker is reachable (tried {candidates.Count}): {last?.Message}", last);
    }

    /// <summary>Logs a security failure once (until a connection succeeds) and tells the clients.</summary>
    private void OnSecurityFailure(int nodeId, KafkaException error)
    {
        if (Interlocked.Exchange(ref _securityError, error) is null)
        {
            Diagnostics.SamsaLog.SecurityFailure(_options.Logger, error.Message);
            SecurityErrorRaised?.Invoke(error);
        }

        SecurityFailure?.Invoke(nodeId, error);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);

        // The refresh loop is woken by the cancellation; the signal may already be set (a refresh was asked for).
        RequestRefresh();
        try
        {
            await _refreshLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _connections.DisposeAsync().ConfigureAwait(false);
        FailRefreshWaiters(new KafkaException(ErrorCode.LocalDestroy, "The client is closing."));
        _disposed.Dispose();
        _refreshSignal.Dispose();
        _options.Connection.Metrics?.Dispose(); // the client's meter lives as long as its cluster view
    }
}
