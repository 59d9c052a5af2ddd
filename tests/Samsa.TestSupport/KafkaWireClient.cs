using System.Buffers.Binary;
using System.Net.Sockets;
using Samsa.Buffers;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport;

/// <summary>
/// A bare Kafka connection for tests: sends one generated request at a chosen version and reads its response,
/// framing with the int32 big-endian size prefix and the request/response headers. No pipelining, no retries:
/// only for checking what a broker (here, the mock) answers, independently of the client under test.
/// </summary>
public sealed class KafkaWireClient : IAsyncDisposable
{
    private const int MaxResponseSize = 64 * 1024 * 1024;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _correlationId;

    private KafkaWireClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>
    /// Bytes left after decoding the last response. Not an error: librdkafka's mock writes the top-level tagged
    /// fields of flexible Metadata responses twice, so those carry one extra trailing byte.
    /// </summary>
    public int LastTrailingBytes { get; private set; }

    /// <summary>The client id put in request headers.</summary>
    public string ClientId { get; set; } = "samsa-wire-test";

    /// <summary>Connects to <c>host:port</c>.</summary>
    public static async Task<KafkaWireClient> ConnectAsync(string hostPort, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostPort);
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), out int port))
        {
            throw new ArgumentException($"'{hostPort}' is not host:port.", nameof(hostPort));
        }

        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(hostPort[..colon], port, cancellationToken);
            return new KafkaWireClient(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> at <paramref name="version"/> and returns the decoded response.</summary>
    /// <exception cref="IOException">The broker closed the connection (the mock does on unsupported requests).</exception>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(TRequest request, short version, CancellationToken cancellationToken = default)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        int correlationId = Interlocked.Increment(ref _correlationId);
        byte[] frame = Encode<TRequest, TResponse>(request, version, correlationId);
        await _stream.WriteAsync(frame, cancellationToken);

        byte[] sizeBytes = new byte[4];
        await _stream.ReadExactlyAsync(sizeBytes, cancellationToken);
        int size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        if (size < 4 || size > MaxResponseSize)
        {
            throw new InvalidDataException($"Response size {size} is out of range.");
        }

        byte[] payload = new byte[size];
        await _stream.ReadExactlyAsync(payload, cancellationToken);
        TResponse response = Decode<TRequest, TResponse>(payload, version, correlationId, out int trailing);
        LastTrailingBytes = trailing;
        return response;
    }

    private byte[] Encode<TRequest, TResponse>(TRequest request, short version, int correlationId)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        using var buffer = new PooledBufferWriter(1024);
        int sizeOffset = buffer.Reserve(4);
        var writer = new ProtocolWriter(buffer);
        var header = new RequestHeader
        {
            RequestApiKey = (short)TRequest.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId,
            ClientId = ClientId,
        };
        header.Write(ref writer, TRequest.RequestHeaderVersion(version));
        request.Write(ref writer, version);
        writer.Flush();
        BinaryPrimitives.WriteInt32BigEndian(buffer.WrittenSpanMutable.Slice(sizeOffset, 4), buffer.WrittenCount - 4);
        return buffer.WrittenSpan.ToArray();
    }

    private static TResponse Decode<TRequest, TResponse>(byte[] payload, short version, int correlationId, out int trailingBytes)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        var reader = new ProtocolReader(payload);
        ResponseHeader header = ResponseHeader.Read(ref reader, TRequest.ResponseHeaderVersion(version));
        if (header.CorrelationId != correlationId)
        {
            throw new InvalidDataException($"Response correlation id {header.CorrelationId}, expected {correlationId}.");
        }

        TResponse response = TResponse.Read(ref reader, version);
        trailingBytes = reader.Remaining;
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
