using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Samsa.TestSupport;

/// <summary>
/// What every TCP proxy in front of a cluster's brokers shares: one listener per broker on 127.0.0.1, an
/// upstream connection per accepted client, advertising the proxy addresses through the test cluster, and a
/// shutdown that closes every socket and waits for the pumps. Subclasses decide what happens to the frames.
/// </summary>
public abstract class BrokerProxy : IAsyncDisposable
{
    /// <summary>The largest frame a proxy forwards; anything larger is not Kafka framing and drops the connection.</summary>
    protected const int MaxFrameSize = 64 * 1024 * 1024;

    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _tasks = [];
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly CancellationTokenSource _shutdown = new();
    private int _connections;

    protected BrokerProxy(IReadOnlyList<string> upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        Upstream = upstream;
    }

    /// <summary>The real broker addresses; index 0 is broker 1.</summary>
    public IReadOnlyList<string> Upstream { get; }

    /// <summary>The proxy's address for each broker; index 0 is broker 1.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>Comma-separated proxy addresses, to bootstrap a client through the proxy.</summary>
    public string BootstrapServers => string.Join(',', Addresses);

    /// <summary>Client connections accepted and forwarded so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Cancelled when the proxy is disposed.</summary>
    protected CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>Starts one listener per upstream broker.</summary>
    protected void Listen()
    {
        var addresses = new List<string>();
        for (int i = 0; i < Upstream.Count; i++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            _listeners.Add(listener);
            addresses.Add("127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture));
            int brokerId = i + 1;
            Track(Task.Run(() => AcceptLoopAsync(listener, brokerId)));
        }

        Addresses = addresses;
    }

    /// <summary>Makes the test cluster advertise <paramref name="proxy"/>'s addresses; disposes the proxy if that fails.</summary>
    protected static async Task<TProxy> AdvertiseAsync<TProxy>(TProxy proxy, TestCluster cluster, CancellationToken cancellationToken)
        where TProxy : BrokerProxy
    {
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

    /// <summary>True to close a just-accepted connection at once (a client sees it refused or reset).</summary>
    protected virtual bool Refuse(int brokerId) => false;

    /// <summary>Forwards one connection whose upstream socket is connected; closes both sockets when done.</summary>
    protected abstract Task ServeAsync(Socket client, Socket server, int brokerId, int connection);

    /// <summary>Reads exactly <paramref name="buffer"/>'s length; false when the stream ended first.</summary>
    protected static async Task<bool> ReadFullyAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
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

    private void Track(Task task)
    {
        lock (_tasks)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
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

            if (Refuse(brokerId))
            {
                // Accepted by the OS already: closing at once is what a client sees as a refused or reset connection.
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            int connection = Interlocked.Increment(ref _connections);
            Track(Task.Run(() => ConnectAsync(client, brokerId, connection)));
        }
    }

    private async Task ConnectAsync(Socket client, int brokerId, int connection)
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

        await ServeAsync(client, server, brokerId, connection);
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
        GC.SuppressFinalize(this);
    }
}
