using Samsa.Network;

namespace Samsa.Cluster;

/// <summary>
/// One connection per broker and purpose, created on first use and re-created after a failure no sooner than
/// the reconnect backoff allows. Concurrent callers share one connection attempt.
/// </summary>
internal sealed class BrokerConnections : IAsyncDisposable
{
    private readonly ClusterOptions _options;
    private readonly Dictionary<(int NodeId, ConnectionPurpose Purpose), Slot> _slots = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();

    public BrokerConnections(ClusterOptions options)
    {
        _options = options;
    }

    /// <summary>Raised when a connection closes (the node id it served and why).</summary>
    public event Action<int, Exception>? ConnectionLost;

    /// <summary>Raised when a connection attempt fails its TLS or SASL set-up (the node id and the error).</summary>
    public event Action<int, KafkaException>? SecurityFailure;

    /// <summary>Raised when a connection attempt succeeds.</summary>
    public event Action<int>? ConnectionEstablished;

    /// <summary>
    /// The connection to a broker, connecting (after any backoff still due) when there is none. A failed
    /// attempt throws a retriable <see cref="KafkaException"/> naming the broker; the next call waits out the
    /// backoff first, so callers that retry never storm the broker.
    /// </summary>
    public async ValueTask<KafkaConnection> GetAsync(int nodeId, BrokerAddress address, ConnectionPurpose purpose, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<KafkaConnection> attempt;
            long wait;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
                if (!_slots.TryGetValue((nodeId, purpose), out Slot? slot))
                {
                    slot = new Slot(address, new ReconnectBackoff(_options.ReconnectBackoff, _options.ReconnectBackoffMax));
                    _slots[(nodeId, purpose)] = slot;
                }
                else if (slot.Address != address)
                {
                    // The broker moved: forget the old connection.
                    slot.Connection?.Close(new KafkaException(ErrorCode.LocalTransport, $"Broker {nodeId} moved from {slot.Address} to {address}."));
                    slot.Connection = null;
                    slot.Address = address;
                    slot.Backoff.Succeeded();
                }

                if (slot.Connection is { IsConnected: true } ready)
                {
                    return ready;
                }

                if (slot.Connecting is null)
                {
                    wait = slot.Backoff.RemainingMs;
                    if (wait == 0)
                    {
                        slot.Connecting = ConnectAsync(nodeId, purpose, slot);
                    }
                }
                else
                {
                    wait = 0;
                }

                attempt = slot.Connecting ?? Task.FromResult<KafkaConnection>(null!);
            }

            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken).ConfigureAwait(false);
                continue;
            }

            return await attempt.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The connection to a broker when one is up; never connects.</summary>
    public KafkaConnection? TryGetConnected(int nodeId, ConnectionPurpose purpose = ConnectionPurpose.Default)
    {
        lock (_lock)
        {
            return _slots.TryGetValue((nodeId, purpose), out Slot? slot) && slot.Connection is { IsConnected: true } c ? c : null;
        }
    }

    /// <summary>Every connection that is up.</summary>
    public List<KafkaConnection> Connected()
    {
        var list = new List<KafkaConnection>();
        lock (_lock)
        {
            foreach (Slot slot in _slots.Values)
            {
                if (slot.Connection is { IsConnected: true } c)
                {
                    list.Add(c);
                }
            }
        }

        return list;
    }

    /// <summary>True when a connection attempt to the node is allowed now (no backoff pending).</summary>
    public bool IsReachableNow(int nodeId, ConnectionPurpose purpose = ConnectionPurpose.Default)
    {
        lock (_lock)
        {
            return !_slots.TryGetValue((nodeId, purpose), out Slot? slot) || slot.Connection is { IsConnected: true } || slot.Backoff.RemainingMs == 0;
        }
    }

    private async Task<KafkaConnection> ConnectAsync(int nodeId, ConnectionPurpose purpose, Slot slot)
    {
        await Task.Yield();
        try
        {
            KafkaConnection connection = await KafkaConnection.ConnectAsync(slot.Address, nodeId, _options.Connection, _disposed.Token).ConfigureAwait(false);
            connection.Closed += (c, reason) => OnClosed(nodeId, purpose, c, reason);
            lock (_lock)
            {
                slot.Connection = connection;
                slot.Connecting = null;
                slot.Backoff.Succeeded();
                if (_disposed.IsCancellationRequested)
                {
                    connection.Close(new KafkaException(ErrorCode.LocalDestroy, "The client is closing."));
                }
            }

            ConnectionEstablished?.Invoke(nodeId);
            return connection;
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                slot.Connecting = null;
                slot.Backoff.Failed();
            }

            if (ex is KafkaException security && KafkaConnection.IsSecurityError(security.Error) && !_disposed.IsCancellationRequested)
            {
                SecurityFailure?.Invoke(nodeId, security);
            }

            throw ex as KafkaException ?? new KafkaException(ErrorCode.LocalTransport, $"Connecting to broker {nodeId} at {slot.Address} failed: {ex.Message}", ex);
        }
    }

    private void OnClosed(int nodeId, ConnectionPurpose purpose, KafkaConnection connection, Exception reason)
    {
        lock (_lock)
        {
            if (_slots.TryGetValue((nodeId, purpose), out Slot? slot) && ReferenceEquals(slot.Connection, connection))
            {
                slot.Connection = null;

                // A connection that dies is treated like a failed attempt: reconnect only after the backoff.
                if (reason is not KafkaException { Error: ErrorCode.LocalDestroy })
                {
                    slot.Backoff.Failed();
                }
            }
        }

        // Dispose off the read loop that raised the event.
        _ = Task.Run(async () => await connection.DisposeAsync().ConfigureAwait(false));
        ConnectionLost?.Invoke(nodeId, reason);
    }

    public async ValueTask DisposeAsync()
    {
        List<KafkaConnection> all = [];
        List<Task> pending = [];
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            foreach (Slot slot in _slots.Values)
            {
                if (slot.Connection is not null)
                {
                    all.Add(slot.Connection);
                }

                if (slot.Connecting is not null)
                {
                    pending.Add(slot.Connecting);
                }
            }

            _slots.Clear();
        }

        foreach (KafkaConnection c in all)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException)
        {
        }

        _disposed.Dispose();
    }

    private sealed class Slot(BrokerAddress address, ReconnectBackoff backoff)
    {
        public BrokerAddress Address { get; set; } = address;

        public ReconnectBackoff Backoff { get; } = backoff;

        public KafkaConnection? Connection { get; set; }

        public Task<KafkaConnection>? Connecting { get; set; }
    }
}
