using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Samsa.Buffers;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport;

/// <summary>A request as a scripted fake broker received it.</summary>
public sealed record FakeRequest(ApiKey ApiKey, short Version, int CorrelationId, string? ClientId, IKafkaMessage Message, int ConnectionIndex)
{
    /// <summary>The request body's bytes as received (after the request header), for encoding comparisons.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }
}

/// <summary>What a scripted fake broker does with one request.</summary>
public abstract record FakeReply
{
    /// <summary>Answer with this message, encoded at the request's version.</summary>
    public sealed record Message(IKafkaMessage Body) : FakeReply;

    /// <summary>Answer with these bytes as the frame (after the size prefix), correlation id included or not.</summary>
    public sealed record Raw(byte[] Frame) : FakeReply;

    /// <summary>Write these bytes to the socket as they are, with no size prefix (hostile-frame tests).</summary>
    public sealed record Unframed(byte[] Bytes) : FakeReply;

    /// <summary>Write these bytes as they are, then close the connection (a frame cut mid-way).</summary>
    public sealed record UnframedThenClose(byte[] Bytes) : FakeReply;

    /// <summary>Send nothing back.</summary>
    public sealed record Silence : FakeReply;

    /// <summary>Close the connection.</summary>
    public sealed record Close : FakeReply;

    /// <summary>Wait, then do the inner reply.</summary>
    public sealed record Delay(TimeSpan Duration, FakeReply Then) : FakeReply;
}

/// <summary>
/// A scripted Kafka broker on a real socket: decodes every request with the generated messages and answers
/// with what the test's handler returns. ApiVersions is answered from the generated version ranges unless
/// the handler answers it. Used where the test cluster cannot script what a test needs.
/// </summary>
public sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<FakeRequest> _received = new();
    private readonly List<Task> _connections = [];
    private readonly List<TcpClient> _clients = [];
    private Task _acceptLoop = Task.CompletedTask;
    private int _connectionCount;

    public FakeBroker(int nodeId = 1)
    {
        NodeId = nodeId;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int NodeId { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public BrokerAddress Address => new("127.0.0.1", Port);

    /// <summary>The handler; return null to use the default (ApiVersions only, else close).</summary>
    public Func<FakeRequest, FakeReply?>? Handler { get; set; }

    /// <summary>Version caps applied to the default ApiVersions answer.</summary>
    public Dictionary<ApiKey, (short Min, short Max)> VersionOverrides { get; } = [];

    public IReadOnlyCollection<FakeRequest> Received => _received.ToArray();

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public ApiVersionsResponse DefaultApiVersions()
    {
        var response = new ApiVersionsResponse();
        foreach (ApiKey key in MessageCatalog.ApiKeys)
        {
            var (min, max) = VersionOverrides.TryGetValue(key, out var o) ? o : MessageCatalog.Versions(key);
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)key, MinVersion = min, MaxVersion = max });
        }

        return response;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                int index = Interlocked.Increment(ref _connectionCount) - 1;
                lock (_clients)
                {
                    _clients.Add(client);
                    _connections.Add(Task.Run(() => ServeAsync(client, index)));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, int index)
    {
        using TcpClient _ = client;
        byte[] sizeBuffer = new byte[4];
        try
        {
            // Inside the try: DropConnections may have disposed the client before this task started.
            NetworkStream stream = client.GetStream();
            while (!_stop.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(sizeBuffer, _stop.Token);
                int size = BinaryPrimitives.ReadInt32BigEndian(sizeBuffer);
                byte[] frame = new byte[size];
                await stream.ReadExactlyAsync(frame, _stop.Token);
                FakeRequest request = Decode(frame, index);
                _received.Enqueue(request);
                FakeReply reply = Handler?.Invoke(request) ?? Default(request);
                if (!await ReplyAsync(stream, request, reply))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private FakeReply Default(FakeRequest request) =>
        request.ApiKey == ApiKey.ApiVersions ? new FakeReply.Message(DefaultApiVersions()) : new FakeReply.Close();

    private static FakeRequest Decode(byte[] frame, int index)
    {
        var reader = new ProtocolReader(frame);
        var key = (ApiKey)reader.ReadInt16();
        short version = reader.ReadInt16();
        int correlationId = reader.ReadInt32();
        string? clientId = reader.ReadNullableString(compact: false);
        if (MessageCatalog.RequestHeaderVersion(key, version) >= 2)
        {
            uint tags = reader.ReadUnsignedVarInt();
            for (uint i = 0; i < tags; i++)
            {
                reader.ReadUnsignedVarInt();
                reader.ReadTaggedFieldReader(out _);
            }
        }

        int bodyStart = reader.Position;
        IKafkaMessage message = MessageCatalog.ReadRequest(key, ref reader, version);
        return new FakeRequest(key, version, correlationId, clientId, message, index) { Body = frame.AsMemory(bodyStart) };
    }

    private static async Task<bool> ReplyAsync(NetworkStream stream, FakeRequest request, FakeReply reply)
    {
        switch (reply)
        {
            case FakeReply.Delay d:
                await Task.Delay(d.Duration);
                return await ReplyAsync(stream, request, d.Then);
            case FakeReply.Silence:
                return true;
            case FakeReply.Close:
                return false;
            case FakeReply.Raw raw:
                byte[] framed = new byte[raw.Frame.Length + 4];
                BinaryPrimitives.WriteInt32BigEndian(framed, raw.Frame.Length);
                raw.Frame.CopyTo(framed, 4);
                await stream.WriteAsync(framed);
                return true;
            case FakeReply.Unframed u:
                await stream.WriteAsync(u.Bytes);
                return true;
            case FakeReply.UnframedThenClose c:
                await stream.WriteAsync(c.Bytes);
                await stream.FlushAsync();
                return false;
            case FakeReply.Message m:
                await stream.WriteAsync(EncodeResponse(request, m.Body));
                return true;
            default:
                throw new InvalidOperationException($"Unknown reply {reply}.");
        }
    }

    /// <summary>Encodes a response frame (size prefix, header, body) for a request.</summary>
    public static byte[] EncodeResponse(FakeRequest request, IKafkaMessage body)
    {
        using var buffer = new PooledBufferWriter(256);
        buffer.Reserve(4);
        var writer = new ProtocolWriter(buffer);
        writer.WriteInt32(request.CorrelationId);
        if (MessageCatalog.ResponseHeaderVersion(request.ApiKey, request.Version) >= 1)
        {
            writer.WriteEmptyTaggedFields();
        }

        body.Write(ref writer, request.Version);
        writer.Flush();
        BinaryPrimitives.WriteInt32BigEndian(buffer.WrittenSpanMutable, buffer.WrittenCount - 4);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Drops every open connection (the listener stays open).</summary>
    public void DropConnections()
    {
        lock (_clients)
        {
            foreach (TcpClient c in _clients)
            {
                c.Dispose();
            }

            _clients.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropConnections();
        Task[] tasks;
        lock (_clients)
        {
            tasks = [.. _connections];
        }

        await Task.WhenAll(tasks.Append(_acceptLoop));
        _stop.Dispose();
    }
}
