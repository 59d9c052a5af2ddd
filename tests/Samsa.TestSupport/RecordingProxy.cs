using System.Buffers.Binary;
using System.Collections.Concurrent;
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
public sealed class RecordingProxy : BrokerProxy
{
    private readonly List<CapturedFrame> _frames = [];
    private readonly Lock _framesLock = new();

    private RecordingProxy(IReadOnlyList<string> upstream)
        : base(upstream)
    {
    }

    /// <summary>Starts one listener per upstream broker address ("host:port"; index 0 is broker 1).</summary>
    public static RecordingProxy Start(IReadOnlyList<string> upstream)
    {
        var proxy = new RecordingProxy(upstream);
        proxy.Listen();
        return proxy;
    }

    /// <summary>Starts a proxy in front of every broker of <paramref name="cluster"/> and makes the mock advertise it.</summary>
    public static Task<RecordingProxy> AttachAsync(TestCluster cluster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return AdvertiseAsync(Start(cluster.BrokerAddresses), cluster, cancellationToken);
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

    protected override async Task ServeAsync(Socket client, Socket server, int brokerId, int connection)
    {
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
                if (!await ReadFullyAsync(from, sizeBytes, ShutdownToken))
                {
                    return;
                }

                int size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
                if (size < 0 || size > MaxFrameSize)
                {
                    return; // not Kafka framing: drop the connection
                }

                byte[] frame = new byte[size];
                if (!await ReadFullyAsync(from, frame, ShutdownToken))
                {
                    return;
                }

                // Record before forwarding, so a request is always listed before its response.
                onFrame(frame);
                await to.WriteAsync(sizeBytes, ShutdownToken);
                await to.WriteAsync(frame, ShutdownToken);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A side closed.
        }
    }
}
