using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Samsa.Protocol;

namespace Samsa.TestSupport;

/// <summary>
/// A recording TCP proxy in front of every broker of a cluster: one listener per broker on 127.0.0.1, each
/// connection forwarded to its broker unchanged, byte for byte, both ways, and every frame recorded with its
/// direction, API key, version and correlation id (see <see cref="CapturedFrame"/>).
/// <para>
/// <see cref="AttachAsync"/> also makes the mock advertise the proxy addresses in Metadata (host-port), so
/// that a client bootstrapped at <see cref="BootstrapServers"/> makes every connection through the proxy.
/// Use a cluster of its own: advertised addresses stay pointed at the proxy until the cluster is disposed.
/// </para>
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private const int MaxFrameSize = 64 * 1024 * 1024;

    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _tasks = [];
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly List<CapturedFrame> _frames = [];
    private readonly Lock _framesLock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private int _connections;

    private RecordingProxy(IReadOnlyList<string> upstream)
    {
        Upstream = upstream;
    }

    /// <summary>The real broker addresses; index 0 is broker 1.</summary>
    public IReadOnlyList<string> Upstream { get; }

    /// <summary>The proxy's address for each broker; index 0 is broker 1.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>Comma-separated proxy addresses, to bootstrap a client through the proxy.</summary>
    public string BootstrapServers => string.Join(',', Addresses);

    /// <summary>Client connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Starts one listener per upstream broker address ("host:port"; index 0 is broker 1).</summary>
    public static RecordingProxy Start(IReadOnlyList<string> upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var proxy = new RecordingProxy(upstream);
        var addresses = new List<string>();
        for (int i = 0; i < upstream.Count; i++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            proxy._listeners.Add(listener);
            addresses.Add("127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture));
            int brokerId = i + 1;
            lock (proxy._tasks)
            {
                proxy._tasks.Add(Task.Run(() => proxy.AcceptLoopAsync(listener, brokerId)));
            }
        }

        proxy.Addresses = addresses;
        return proxy;
    }

    /// <summary>Starts a proxy in front of every broker of <paramref name="cluster"/> and makes the mock advertise it.</summary>
    public static async Task<RecordingProxy> AttachAsync(TestCluster cluster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        RecordingProxy proxy = Start(cluster.BrokerAddresses);
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

    /// <summary>A snapshot of the frames recorded so far, in the order the proxy read them.</summary>
    public IReadOnlyList<CapturedFrame> Frames
    {
        get
        {
            lock (_framesLock)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>Forgets the frames recorded so far.</summary>
    public void Clear()
    {
        lock (_framesLock)
        {
            _frames.Clear();
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, int brokerId)
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

            int connection = Interlocked.Increment(ref _connections);
            lock (_tasks)
            {
                _tasks.Add(Task.Run(() => ServeAsync(client, brokerId, connection)));
            }
        }
    }

    private async Task ServeAsync(Socket client, int brokerId, int connection)
    {
        _sockets.Add(client);
        client.NoDelay = true;
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _sockets.Add(server);
        try
        {
            string address = Upstream[brokerId - 1];
            int colon = address.LastIndexOf(':');
            await server.ConnectAsync(address[..colon], int.Parse(address.AsSpan(colon + 1), CultureInfo.InvariantCulture), _shutdown.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.Dispose();
            server.Dispose();
            return;
        }

        // Responses come back in request order on one connection; the map also survives requests without a
        // response (Produce with acks=0).
        var inFlight = new ConcurrentDictionary<int, (ApiKey Key, short Version)>();
        using var clientStream = new NetworkStream(client, ownsSocket: true);
        using var serverStream = new NetworkStream(server, ownsSocket: true);
        Task up = PumpAsync(clientStream, serverStream, frame =>
        {
            if (frame.Length < 8)
            {
                return;
            }

            var key = (ApiKey)BinaryPrimitives.ReadInt16BigEndian(frame);
            short version = BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(2));
            int correlationId = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4));
            inFlight[correlationId] = (key, version);
            Record(new CapturedFrame(FrameDirection.Request, key, version, correlationId, brokerId, connection, frame));
        });
        Task down = PumpAsync(serverStream, clientStream, frame =>
        {
            if (frame.Length < 4)
            {
                return;
            }

            int correlationId = BinaryPrimitives.ReadInt32BigEndian(frame);
            if (inFlight.TryRemove(correlationId, out var request))
            {
                Record(new CapturedFrame(FrameDirection.Response, request.Key, request.Version, correlationId, brokerId, connection, frame));
            }
        });

        // When either side closes, close both, as a direct connection would.
        await Task.WhenAny(up, down);
        client.Dispose();
        server.Dispose();
        await Task.WhenAll(up, down);
    }

    private void Record(CapturedFrame frame)
    {
        lock (_framesLock)
        {
            _frames.Add(frame);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Action<byte[]> onFrame)
    {
        byte[] sizeBytes = new byte[4];
        try
        {
            while (true)
            {
                if (!await ReadFullyAsync(from, sizeBytes))
                {
                    return;
                }

                int size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
                if (size < 0 || size > MaxFrameSize)
                {
                    return; // not Kafka framing: drop the connection
                }

                byte[] frame = new byte[size];
                if (!await ReadFullyAsync(from, frame))
                {
                    return;
                }

                // Record before forwarding, so a request is always listed before its response.
                onFrame(frame);
                await to.WriteAsync(sizeBytes, _shutdown.Token);
                await to.WriteAsync(frame, _shutdown.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A side closed.
        }
    }

    private async Task<bool> ReadFullyAsync(NetworkStream stream, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), _shutdown.Token);
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

        // _shutdown is not disposed: a straggling pump may still read its token.
    }
}
