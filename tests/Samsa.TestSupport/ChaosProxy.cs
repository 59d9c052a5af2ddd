using System.Buffers.Binary;
using System.Collections.Concurrent;
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
public sealed class ChaosProxy : BrokerProxy
{
    private readonly ConcurrentQueue<byte[]> _unanswered = new();
    private int _refused;
    private int _cuts;

    private ChaosProxy(IReadOnlyList<string> upstream)
        : base(upstream)
    {
        Brokers = [.. Enumerable.Range(1, upstream.Count).Select(id => new ChaosBroker(id))];
    }

    /// <summary>The fault controls of each broker; index 0 is broker 1.</summary>
    public IReadOnlyList<ChaosBroker> Brokers { get; }

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
        var proxy = new ChaosProxy(upstream);
        proxy.Listen();
        return proxy;
    }

    /// <summary>Starts a proxy in front of every broker of <paramref name="cluster"/> and makes the mock advertise it.</summary>
    public static Task<ChaosProxy> AttachAsync(TestCluster cluster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return AdvertiseAsync(Start(cluster.BrokerAddresses), cluster, cancellationToken);
    }

    protected override bool Refuse(int brokerId)
    {
        if (!Broker(brokerId).RefuseConnections)
        {
            return false;
        }

        Interlocked.Increment(ref _refused);
        return true;
    }

    protected override async Task ServeAsync(Socket client, Socket server, int brokerId, int connection)
    {
        ChaosBroker broker = Broker(brokerId);

        // Produce requests waiting for their response, by correlation id; what is left when the connection
        // ends was never answered to the client.
        var produces = new ConcurrentDictionary<int, byte[]>();
        using var connectionClosed = CancellationTokenSource.CreateLinkedTokenSource(ShutdownToken, broker.CutAllToken);
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
}
