using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport.SecureFront;

/// <summary>
/// One client connection through the front: TLS, then requests read in order. SASL requests are answered here;
/// the rest is forwarded to the broker. Responses go back in request order whatever answered them: each request
/// that expects a response takes a slot in a queue that one writer drains.
/// </summary>
internal sealed partial class FrontConnection
{
    private const int MaxFrame = 64 * 1024 * 1024;

    private readonly SecureFront _front;
    private readonly Socket _client;
    private readonly int _index;
    private readonly CancellationTokenSource _closing;
    private readonly Channel<Task<byte[]?>> _responses = Channel.CreateUnbounded<Task<byte[]?>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<Forwarded> _forwarded = new();
    private Stream? _clientStream;
    private Socket? _upstreamSocket;
    private NetworkStream? _upstream;
    private string? _mechanism;
    private SaslServerSession? _sasl;
    private bool _authenticated;
    private bool _reauthenticating;
    private string? _principal;
    private long _expiresAt = long.MaxValue;

    public FrontConnection(SecureFront front, Socket client, int index)
    {
        _front = front;
        _client = client;
        _index = index;
        _closing = CancellationTokenSource.CreateLinkedTokenSource(front.ShutdownToken);
    }

    private SecureFrontOptions Options => _front.Options;

    public void Abort()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _client.Dispose();
        _upstreamSocket?.Dispose();
    }

    public async Task RunAsync()
    {
        Task writer = Task.CompletedTask;
        Task reader = Task.CompletedTask;
        bool graceful = false;
        try
        {
            _client.NoDelay = true;
            Stream stream = new NetworkStream(_client, ownsSocket: true);
            if (Options.Tls)
            {
                stream = await HandshakeAsync(stream) ?? throw new OperationCanceledException();
            }

            _clientStream = stream;
            (string host, int port) = _front.UpstreamOf(_index);
            _upstreamSocket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await _upstreamSocket.ConnectAsync(host, port, _closing.Token);
            _upstream = new NetworkStream(_upstreamSocket, ownsSocket: true);
            writer = WriteResponsesAsync();
            reader = ReadUpstreamAsync();
            graceful = await ReadRequestsAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
        {
        }
        finally
        {
            _responses.Writer.TryComplete();
            if (graceful)
            {
                // Let the writer send what is queued (a refusal) before closing, as a broker does.
                try
                {
                    await writer.WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (Exception e) when (e is TimeoutException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                {
                }
            }

            Abort();
            FailSlots();
            try
            {
                await Task.WhenAll(writer, reader).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is TimeoutException or IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
            {
            }

            _closing.Dispose();
        }
    }

    private async Task<Stream?> HandshakeAsync(Stream tcp)
    {
        var ssl = new SslStream(tcp, leaveInnerStreamOpen: false);
        string? clientProblem = null;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = Options.ServerCertificate,
            ClientCertificateRequired = Options.ClientCertificateCa is not null,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                clientProblem = ClientCertificateProblem(certificate);
                return clientProblem is null;
            },
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        timeout.CancelAfter(Options.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(options, timeout.Token);
            _front.RecordTlsHandshake();
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            _front.RecordFailure("TLS: " + (clientProblem ?? e.Message));
            await ssl.DisposeAsync();
            return null;
        }
    }

    private string? ClientCertificateProblem(X509Certificate? certificate)
    {
        if (Options.ClientCertificateCa is not { } ca)
        {
            return null;
        }

        if (certificate is null)
        {
            return "the client sent no certificate (mutual TLS is required)";
        }

        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf) ? null : $"the client certificate {leaf.Subject} does not verify: {string.Join("; ", chain.ChainStatus.Select(s => s.Status))}";
    }

    /// <summary>Reads and handles requests until the client leaves; true when the front ended it after a refusal.</summary>
    private async Task<bool> ReadRequestsAsync()
    {
        byte[] size = new byte[4];
        while (true)
        {
            if (!await ReadExactlyAsync(_clientStream!, size))
            {
                return false;
            }

            int length = BinaryPrimitives.ReadInt32BigEndian(size);
            if (length < 8 || length > MaxFrame)
            {
                _front.RecordFailure($"a request frame of {length} bytes (not Kafka framing; TLS to a plaintext front or the reverse?)");
                return false;
            }

            byte[] frame = new byte[length];
            if (!await ReadExactlyAsync(_clientStream!, frame))
            {
                return false;
            }

            Outcome outcome = await HandleAsync(frame);
            if (outcome != Outcome.Continue)
            {
                return outcome == Outcome.CloseAfterResponses;
            }
        }
    }

    private async Task<Outcome> HandleAsync(byte[] frame)
    {
        var key = (ApiKey)BinaryPrimitives.ReadInt16BigEndian(frame);
        short version = BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(2));
        int correlationId = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(4));
        if (_authenticated && Environment.TickCount64 >= _expiresAt)
        {
            // KIP-368: a request on an expired session closes the connection, whatever it is.
            _front.RecordExpired();
            _front.RecordFailure($"session of {_principal} expired: {key} arrived {Environment.TickCount64 - _expiresAt} ms late; connection closed");
            return Outcome.CloseNow;
        }

        if (Options.Sasl && key is ApiKey.SaslHandshake or ApiKey.SaslAuthenticate)
        {
            (IKafkaMessage response, bool close) = key == ApiKey.SaslHandshake
                ? Handshake(ReadBody<SaslHandshakeRequest>(frame, key, version))
                : Authenticate(ReadBody<SaslAuthenticateRequest>(frame, key, version), version);
            _responses.Writer.TryWrite(Task.FromResult<byte[]?>(Encode(key, version, correlationId, response)));
            return close ? Outcome.CloseAfterResponses : Outcome.Continue;
        }

        if (Options.Sasl && !_authenticated && key != ApiKey.ApiVersions)
        {
            _front.RecordFailure($"{key} request before SASL authentication; connection closed");
            return Outcome.CloseNow;
        }

        bool expectsResponse = key != ApiKey.Produce || ReadBody<ProduceRequest>(frame, key, version).Acks != 0;
        if (expectsResponse)
        {
            var slot = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _forwarded.Enqueue(new Forwarded(correlationId, key, version, slot));
            _responses.Writer.TryWrite(slot.Task);
        }

        byte[] size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, frame.Length);
        await _upstream!.WriteAsync(size, _closing.Token);
        await _upstream.WriteAsync(frame, _closing.Token);
        return Outcome.Continue;
    }

    private static T ReadBody<T>(byte[] frame, ApiKey key, short version)
        where T : IKafkaMessage
    {
        var reader = new ProtocolReader(frame);
        RequestHeader.Read(ref reader, MessageCatalog.RequestHeaderVersion(key, version));
        return (T)MessageCatalog.ReadRequest(key, ref reader, version);
    }

    private static byte[] Encode(ApiKey key, short version, int correlationId, IKafkaMessage body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new ProtocolWriter(buffer);
        new ResponseHeader { CorrelationId = correlationId }.Write(ref writer, MessageCatalog.ResponseHeaderVersion(key, version));
        body.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private async Task WriteResponsesAsync()
    {
        byte[] size = new byte[4];
        await foreach (Task<byte[]?> next in _responses.Reader.ReadAllAsync(_closing.Token))
        {
            byte[]? frame = await next.WaitAsync(_closing.Token);
            if (frame is null)
            {
                return;
            }

            BinaryPrimitives.WriteInt32BigEndian(size, frame.Length);
            await _clientStream!.WriteAsync(size, _closing.Token);
            await _clientStream.WriteAsync(frame, _closing.Token);
            await _clientStream.FlushAsync(_closing.Token);
        }
    }

    private async Task ReadUpstreamAsync()
    {
        byte[] size = new byte[4];
        try
        {
            while (await ReadExactlyAsync(_upstream!, size))
            {
                int length = BinaryPrimitives.ReadInt32BigEndian(size);
                if (length < 4 || length > MaxFrame)
                {
                    break;
                }

                byte[] frame = new byte[length];
                if (!await ReadExactlyAsync(_upstream!, frame))
                {
                    break;
                }

                int correlationId = BinaryPrimitives.ReadInt32BigEndian(frame);
                if (!_forwarded.TryDequeue(out Forwarded? request) || request.CorrelationId != correlationId)
                {
                    _front.RecordFailure($"the broker answered correlation id {correlationId} out of order");
                    break;
                }

                request.Slot.TrySetResult(ResponseRewriter.Rewrites(request.Key) ? _front.Rewriter.Rewrite(request.Key, request.Version, frame) : frame);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            // The broker left: so does the client.
            Abort();
            FailSlots();
        }
    }

    private void FailSlots()
    {
        while (_forwarded.TryDequeue(out Forwarded? request))
        {
            request.Slot.TrySetResult(null);
        }
    }

    private async Task<bool> ReadExactlyAsync(Stream stream, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), _closing.Token);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private enum Outcome
    {
        Continue,
        CloseAfterResponses,
        CloseNow,
    }

    private sealed record Forwarded(int CorrelationId, ApiKey Key, short Version, TaskCompletionSource<byte[]?> Slot);
}
