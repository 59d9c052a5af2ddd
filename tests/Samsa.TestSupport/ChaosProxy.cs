using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Samsa.Protocol;

namespace Samsa.TestSupport;

/// <summary>
/// A fault-injecting TCP proxy in front of every broker of a cluster (one listener per broker on 127.0.0.1).
/// It forwards Kafka frames both ways and, on command and per broker, delays them, stalls responses, cuts
/// connections in the middle of a request or response frame, or refuses new connections (see
/// <see cref="ChaosBroker"/>). It remembers every Produce request whose response never reached the client
/// (<see cref="UnansweredProduceRequests"/>): the only requests a retry may legitimately write twice on a broker
/// that does not check producer sequences, which tells such copies apart from a client bug.
/// <para>
/// <see cref="AttachAsync"/> makes the test cluster advertise the proxy addresses; use a cluster of its own.
/// </para>
/// </summary>
public sealed class ChaosProxy : IAsyncDisposable
{
    private const int MaxFrameSize = 64 * 1024 * 1024;

    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _tasks = [];
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly ConcurrentQueue<byte[]> _unanswered = new();
    private readonly CancellationTokenSource _shutdown = new();
    private int _connections;
    private int _refused;
    private int _cuts;

    private ChaosProxy(IReadOnlyList<string> upstream)
    {
        Upstream = upstream;
        Brokers = [.. Enumerable.Range(1, upstream.Count).Select(id => new ChaosBroker(id))];
    }

    /// <summary>The real broker addresses; index 0 is broker 1.</summary>
    public IReadOnlyList<string> Upstream { get; }

    /// <summary>The proxy's address for each broker; index 0 is broker 1.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public string BootstrapServers => string.Join(',', Addresses);

    /// <summary>The fault controls of each broker; index 0 is broker 1.</summary>
    public IReadOnlyList<ChaosBroker> Brokers { get; }

    public int ConnectionCount => Volatile.Read(ref _connections);

    public int RefusedCount => Volatile.Read(ref _refused);

    /// <summary>Connections cut in the middle of a frame.</summary>
    public int CutCount => Volatile.Read(ref _cuts);

    /// <summary>
    /// Produce request frames (header and body, without the size prefix) forwarded to a broker, or cut part-way,
    /// whose response the client never received.
    /// </summary>
    public IReadOnlyCollection<byte[]> UnansweredProduceRequests => _unanswered.ToArray();

    /// <summary>The controls of broker <paramref name="brokerId"/> (1-based).</summary>
    public ChaosBroker Broker(int brokerId) => Brokers[brokerId - 1];

    /// <summary>Lifts every fault on every broker.</summary>
    public void Heal()
    {
        foreach (ChaosBroker b in Brokers)
        {
            b.Heal();
        }
    }

    public static ChaosProxy Start(IReadOnlyList<string> upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var proxy = new ChaosProxy(upstream);
        var addresses = new List<string>();
        for (int i = 0; i < upstream.Count; i++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            proxy._listeners.Add(listener);
            addresses.Add("127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture));
            ChaosBroker broker = proxy.Brokers[i];
            lock (proxy._tasks)
            {
                proxy._tasks.Add(Task.Run(() => proxy.AcceptLoopAsync(listener, broker)));
            }
        }

        proxy.Addresses = addresses;
        return proxy;
    }

    /// <summary>Starts a proxy in front of every broker of <paramref name="cluster"/> and makes the mock advertise it.</summary>
    public static async Task<ChaosProxy> AttachAsync(TestCluster cluster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ChaosProxy proxy = Start(cluster.BrokerAddresses);
        try
        {
            for (int i = 0; i < proxy.Addresses.Count; i++)
            {
                int port = int.Parse(proxy.Addresses[i].AsSpan(proxy.Addresses[i].LastIndexOf(':') + 1), CultureInfo.InvariantCulture);
                await cluster.SetHostPortAsync(i + 1, "127.0.0.1", port, cancellationToken);
            }

            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, ChaosBroker broker)
    {
        while (!_shutdown.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_shutdown.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (broker.RefuseConnections)
            {
                // Accepted by the OS already: closing at once is what a client sees as a refused or reset connection.
                Interlocked.Increment(ref _refused);
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            Interlocked.Increment(ref _connections);
            lock (_tasks)
            {
                _tasks.RemoveAll(t => t.IsCompleted);
                _tasks.Add(Task.Run(() => ServeAsync(client, broker)));
            }
        }
    }

    private async Task ServeAsync(Socket client, ChaosBroker broker)
    {
        _sockets.Add(client);
        client.NoDelay = true;
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _sockets.Add(server);
        try
        {
            string address = Upstream[broker.BrokerId - 1];
            int colon = address.LastIndexOf(':');
            await server.ConnectAsync(address[..colon], int.Parse(address.AsSpan(colon + 1), CultureInfo.InvariantCulture), _shutdown.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.Dispose();
            server.Dispose();
            return;
        }

        // Produce requests waiting for their response, by correlation id; what is left when the connection
        // ends was never answered to the client.
        var produces = new ConcurrentDictionary<int, byte[]>();
        using var connectionClosed = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, broker.CutAllToken);
        using var clientStream = new NetworkStream(client, ownsSocket: true);
        using var serverStream = new NetworkStream(server, ownsSocket: true);
        Task up = PumpAsync(clientStream, serverStream, broker, request: true, produces, connectionClosed.Token);
        Task down = PumpAsync(serverStream, clientStream, broker, request: false, produces, connectionClosed.Token);

        // When either side closes (or the proxy cuts), close both, as a direct connection would.
        await Task.WhenAny(up, down);
        await connectionClosed.CancelAsync();
        client.Dispose();
        server.Dispose();
        await Task.WhenAll(up, down);
        foreach (byte[] frame in produces.Values)
        {
            _unanswered.Enqueue(frame);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, ChaosBroker broker, bool request,
        ConcurrentDictionary<int, byte[]> produces, CancellationToken closed)
    {
        byte[] sizeBytes = new byte[4];
        try
        {
            while (true)
            {
                if (!await ReadFullyAsync(from, sizeBytes, closed))
                {
                    return;
                }

                int size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
                if (size < 0 || size > MaxFrameSize)
                {
                    return; // not Kafka framing: drop the connection
                }

                byte[] frame = new byte[size];
                if (!await ReadFullyAsync(from, frame, closed))
                {
                    return;
                }

                if (request && frame.Length >= 8 && (ApiKey)BinaryPrimitives.ReadInt16BigEndian(frame) == ApiKey.Produce)
                {
                    produces[BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4))] = frame;
                }

                await broker.WaitAsync(request, closed);
                if (broker.TakeCut(request))
                {
                    // Half the frame, then the connection ends: the receiver sees a frame cut mid-way.
                    Interlocked.Increment(ref _cuts);
                    await to.WriteAsync(sizeBytes, closed);
                    await to.WriteAsync(frame.AsMemory(0, frame.Length / 2), closed);
                    await to.FlushAsync(closed);
                    return;
                }

                await to.WriteAsync(sizeBytes, closed);
                await to.WriteAsync(frame, closed);
                if (!request && frame.Length >= 4)
                {
                    // Forwarded to the client in full: answered.
                    produces.TryRemove(BinaryPrimitives.ReadInt32BigEndian(frame), out _);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A side closed, or the proxy cut the connection.
        }
    }

    private static async Task<bool> ReadFullyAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>Stops listening, closes every connection and waits for the pumps.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        await _shutdown.CancelAsync();
        foreach (TcpListener listener in _listeners)
        {
            listener.Stop();
        }

        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        Task[] tasks;
        lock (_tasks)
        {
            tasks = [.. _tasks];
        }

        try
        {
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Leave stragglers: the sockets are closed, they end on their own.
        }
    }
}
