using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Samsa.TestSupport.SecureFront;

/// <summary>
/// A secure front for a plaintext cluster: one listener per broker on 127.0.0.1 that terminates TLS (optionally
/// mutual) and/or performs the server side of SASL (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER with unsecured JWTs,
/// KIP-368 session lifetimes), then forwards the connection to its broker. ApiVersions is forwarded and the SASL
/// APIs added to the answer; broker addresses in Metadata, FindCoordinator and DescribeCluster responses are
/// rewritten so that every connection comes through the front. Everything else passes byte for byte.
/// </summary>
public sealed class SecureFront : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _tasks = [];
    private readonly ConcurrentDictionary<FrontConnection, byte> _connections = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<string> _principals = new();
    private readonly CancellationTokenSource _shutdown = new();
    private int _accepted;
    private int[] _acceptedPerBroker = [];
    private int _authentications;
    private int _reauthentications;
    private int _expired;
    private int _tlsHandshakes;

    private SecureFront(IReadOnlyList<string> upstream, SecureFrontOptions options)
    {
        Upstream = upstream;
        Options = options;
        Credentials = new SaslCredentialStore(options.Users, options.ScramIterations);
    }

    public SecureFrontOptions Options { get; }

    /// <summary>The brokers' real addresses; index 0 is broker 1.</summary>
    public IReadOnlyList<string> Upstream { get; }

    /// <summary>The front's address for each broker ("127.0.0.1:port"); index 0 is broker 1.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>Comma-separated front addresses: bootstrap a client here.</summary>
    public string BootstrapServers => string.Join(',', Addresses);

    /// <summary>Bootstrap servers with "localhost" instead of 127.0.0.1 (to connect by name).</summary>
    public string BootstrapServersByName => BootstrapServers.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    internal SaslCredentialStore Credentials { get; }

    internal ResponseRewriter Rewriter { get; private set; } = null!;

    internal CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>Client connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _accepted);

    /// <summary>Client connections accepted so far by each broker's listener (index 0 is broker 1).</summary>
    public IReadOnlyList<int> ConnectionCountPerBroker => [.. _acceptedPerBroker];

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Completed TLS handshakes.</summary>
    public int TlsHandshakes => Volatile.Read(ref _tlsHandshakes);

    /// <summary>Successful first authentications.</summary>
    public int Authentications => Volatile.Read(ref _authentications);

    /// <summary>Successful re-authentications (KIP-368).</summary>
    public int Reauthentications => Volatile.Read(ref _reauthentications);

    /// <summary>Connections closed because a request came after the session expired.</summary>
    public int ExpiredSessions => Volatile.Read(ref _expired);

    /// <summary>Responses the rewriter could not parse (passed through unchanged).</summary>
    public int RewriteFailures => Rewriter.Failures;

    /// <summary>Why TLS handshakes and authentications failed, in order.</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>The principals authenticated, in order.</summary>
    public IReadOnlyList<string> Principals => [.. _principals];

    /// <summary>The SASL extensions the last OAUTHBEARER client sent.</summary>
    public IReadOnlyDictionary<string, string>? LastExtensions { get; internal set; }

    /// <summary>Starts one listener per upstream broker ("host:port"; index 0 is broker 1).</summary>
    public static SecureFront Start(IReadOnlyList<string> upstream, SecureFrontOptions options)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(options);
        var front = new SecureFront(upstream, options);
        var addresses = new List<string>();
        var portMap = new Dictionary<int, int>();
        for (int i = 0; i < upstream.Count; i++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            front._listeners.Add(listener);
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            addresses.Add("127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            portMap[UpstreamPort(upstream[i])] = port;
        }

        front.Addresses = addresses;
        front._acceptedPerBroker = new int[upstream.Count];
        front.Rewriter = new ResponseRewriter(portMap, options.AdvertisedHost, options.Sasl);
        for (int i = 0; i < upstream.Count; i++)
        {
            TcpListener listener = front._listeners[i];
            int index = i;
            lock (front._tasks)
            {
                front._tasks.Add(Task.Run(() => front.AcceptLoopAsync(listener, index)));
            }
        }

        return front;
    }

    /// <summary>Starts a front in front of every broker of <paramref name="cluster"/>.</summary>
    public static SecureFront Start(TestCluster cluster, SecureFrontOptions options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return Start(cluster.BrokerAddresses, options);
    }

    /// <summary>Closes every client connection now (the listeners stay open).</summary>
    public void DropConnections()
    {
        foreach (FrontConnection c in _connections.Keys)
        {
            c.Abort();
        }
    }

    internal void RecordFailure(string reason) => _failures.Enqueue(reason);

    internal void RecordTlsHandshake() => Interlocked.Increment(ref _tlsHandshakes);

    internal void RecordAuthenticated(string principal, bool reauthentication)
    {
        _principals.Enqueue(principal);
        if (reauthentication)
        {
            Interlocked.Increment(ref _reauthentications);
        }
        else
        {
            Interlocked.Increment(ref _authentications);
        }
    }

    internal void RecordExpired() => Interlocked.Increment(ref _expired);

    internal (string Host, int Port) UpstreamOf(int index)
    {
        string address = Upstream[index];
        int colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address.AsSpan(colon + 1), CultureInfo.InvariantCulture));
    }

    private static int UpstreamPort(string address) =>
        int.Parse(address.AsSpan(address.LastIndexOf(':') + 1), CultureInfo.InvariantCulture);

    private async Task AcceptLoopAsync(TcpListener listener, int index)
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

            Interlocked.Increment(ref _accepted);
            Interlocked.Increment(ref _acceptedPerBroker[index]);
            var connection = new FrontConnection(this, client, index);
            _connections[connection] = 0;
            lock (_tasks)
            {
                _tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await connection.RunAsync();
                    }
                    finally
                    {
                        _connections.TryRemove(connection, out _);
                    }
                }));
            }
        }
    }

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

        DropConnections();
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
        }
    }
}
