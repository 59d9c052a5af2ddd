using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Samsa.Diagnostics;

namespace Samsa.Network;

/// <summary>
/// One TCP connection to one broker: 4-byte framing, pipelined requests matched to responses by correlation
/// id, request timeouts, ApiVersions negotiation and the optional TLS and SASL layers. One read loop and one
/// write loop per connection; senders never block on the socket.
/// </summary>
internal sealed partial class KafkaConnection : IAsyncDisposable
{
    private readonly ConnectionOptions _options;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly Channel<OutgoingFrame> _outgoing;
    private readonly Queue<PendingRequest> _pending = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ITimer _timeoutTimer;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private int _nextCorrelationId;
    private bool _closed;
    private Exception? _closeReason;
    private BrokerApiVersions? _apiVersions;

    private KafkaConnection(BrokerAddress address, int brokerId, Socket socket, Stream stream, ConnectionOptions options)
    {
        Address = address;
        BrokerId = brokerId;
        Name = brokerId >= 0 ? $"{address}/{brokerId}" : $"{address}/bootstrap";
        _socket = socket;
        _stream = stream;
        _options = options;
        _outgoing = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });
        TimeSpan tick = TimeSpan.FromMilliseconds(Math.Clamp(options.RequestTimeout.TotalMilliseconds / 10, 20, 1000));
        _timeoutTimer = TimeProvider.System.CreateTimer(static s => ((KafkaConnection)s!).CheckTimeouts(), this, tick, tick);
    }

    /// <summary>The address this connection was made to.</summary>
    public BrokerAddress Address { get; }

    /// <summary>The broker's node id, or -1 for a bootstrap connection.</summary>
    public int BrokerId { get; }

    /// <summary>"host:port/id" for logs and errors.</summary>
    public string Name { get; }

    /// <summary>The negotiated versions (after connect).</summary>
    public BrokerApiVersions ApiVersions => _apiVersions ?? throw new InvalidOperationException("Versions are not negotiated yet.");

    /// <summary>False once the connection has failed or been closed.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_lock)
            {
                return !_closed;
            }
        }
    }

    /// <summary>Requests sent and not yet answered.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count + (_held?.Count ?? 0);
            }
        }
    }

    /// <summary>Why the connection closed, once it has.</summary>
    public Exception? CloseReason
    {
        get
        {
            lock (_lock)
            {
                return _closeReason;
            }
        }
    }

    /// <summary>Raised once, when the connection closes for any reason (after its pending requests are failed).</summary>
    public event Action<KafkaConnection, Exception>? Closed;

    /// <summary>
    /// Connects, secures, negotiates versions and authenticates. Failures are <see cref="KafkaException"/>s
    /// with a retriable transport code that name the broker.
    /// </summary>
    public static async ValueTask<KafkaConnection> ConnectAsync(
        BrokerAddress address, int brokerId, ConnectionOptions options, CancellationToken cancellationToken)
    {
        SamsaLog.Connecting(options.Logger, address.ToString());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        Socket? socket = null;
        Stream? stream = null;
        KafkaConnection? connection = null;
        bool negotiating = false;
        try
        {
            socket = await OpenSocketAsync(address, options, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Security is not null)
            {
                stream = await options.Security.SecureAsync(stream, address, timeout.Token).ConfigureAwait(false);
            }

            connection = new KafkaConnection(address, brokerId, socket, stream, options);
            connection.Start();
            negotiating = true;
            await connection.NegotiateVersionsAsync(timeout.Token).ConfigureAwait(false);
            negotiating = false;
            if (options.Authenticator is not null)
            {
                await connection.AuthenticateAsync(timeout.Token).ConfigureAwait(false);
            }

            SamsaLog.Connected(options.Logger, connection.Name, connection.ApiVersions.CommonCount, connection._apiVersionsVersion);
            options.Metrics?.ConnectionsOpened.Add(1);
            return connection;
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }

                socket?.Dispose();
            }

            KafkaException error = negotiating && options.Security is not null && TlsRefusal(ex) is { } refusal
                ? new KafkaException(ErrorCode.LocalSsl,
                    $"Broker {address} refused the TLS connection right after the handshake ({refusal}): it may require a client certificate " +
                    "(ssl.certificate.location and ssl.key.location) or refuse the one offered.", ex)
                : TranslateConnectFailure(ex, address, options, cancellationToken);
            if (IsSecurityError(error.Error))
            {
                // Reported once by the cluster layer, not at each attempt.
                SamsaLog.SecuritySetupFailed(options.Logger, address.ToString(), error.Message);
            }
            else
            {
                SamsaLog.ConnectFailed(options.Logger, address.ToString(), error.Message);
            }

            throw error;
        }
    }

    private static KafkaException TranslateConnectFailure(Exception ex, BrokerAddress address, ConnectionOptions options, CancellationToken callerToken)
    {
        if (ex is OperationCanceledException && callerToken.IsCancellationRequested)
        {
            return new KafkaException(ErrorCode.LocalTimedOut, $"Connecting to {address} was cancelled.", ex);
        }

        return ex switch
        {
            KafkaException k when IsSecurityError(k.Error) => k,
            OperationCanceledException => new KafkaException(ErrorCode.LocalTransport,
                $"Connecting to {address} timed out after {options.ConnectTimeout.TotalMilliseconds:0} ms (socket.connection.setup.timeout.ms).", ex),
            SocketException s => new KafkaException(ErrorCode.LocalTransport, $"Connecting to {address} failed: {s.SocketErrorCode} ({s.Message}).", ex),
            KafkaException k => new KafkaException(k.Error == ErrorCode.LocalProtocol ? ErrorCode.LocalProtocol : ErrorCode.LocalTransport,
                $"Connecting to {address} failed: {k.Message}", ex),
            _ => new KafkaException(ErrorCode.LocalTransport, $"Connecting to {address} failed: {ex.Message}", ex),
        };
    }

    /// <summary>True for the errors of TLS and SASL set-up: retrying at once would fail the same way.</summary>
    public static bool IsSecurityError(ErrorCode code) => code is ErrorCode.LocalAuthentication or ErrorCode.LocalSsl
        or ErrorCode.SaslAuthenticationFailed or ErrorCode.UnsupportedSaslMechanism or ErrorCode.IllegalSaslState;

    /// <summary>
    /// With TLS 1.3 the server checks the client's certificate after the client's handshake completed: a refusal
    /// shows up as a TLS alert or an abrupt close on the first read. Returns what was seen, or null.
    /// </summary>
    private static string? TlsRefusal(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException or IOException)
            {
                return e.Message;
            }

            if (e is KafkaException { Error: ErrorCode.NetworkException } k && k.Message.Contains("closed the connection", StringComparison.Ordinal))
            {
                return "it closed the connection";
            }
        }

        return null;
    }

    private static async ValueTask<Socket> OpenSocketAsync(BrokerAddress address, ConnectionOptions options, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = IPAddress.TryParse(address.Host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(address.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new KafkaException(ErrorCode.LocalResolve, $"Host '{address.Host}' has no addresses.");
        }

        Exception? last = null;
        foreach (IPAddress ip in addresses)
        {
            var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                if (options.SocketSendBufferBytes > 0)
                {
                    socket.SendBufferSize = options.SocketSendBufferBytes;
                }

                if (options.SocketReceiveBufferBytes > 0)
                {
                    socket.ReceiveBufferSize = options.SocketReceiveBufferBytes;
                }

                await socket.ConnectAsync(new IPEndPoint(ip, address.Port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Fails every pending request, closes the socket and raises <see cref="Closed"/>; idempotent.</summary>
    public void Close(Exception reason)
    {
        PendingRequest[] failed;
        List<HeldFrame>? held;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _closeReason = reason;
            failed = _pending.ToArray();
            _pending.Clear();
            held = TakeHeldLocked();
            _outgoing.Writer.TryComplete();
        }

        if (held is not null)
        {
            // Requests held back during a re-authentication never went out.
            foreach (HeldFrame h in held)
            {
                ArrayPool<byte>.Shared.Return(h.Frame.Buffer);
                h.Pending?.TrySetException(new KafkaException(ErrorCode.NetworkException,
                    $"Connection to {Name} closed before the {h.Pending.ApiKey} request was sent: {reason.Message}", reason));
            }
        }

        _timeoutTimer.Dispose();
        _shutdown.Cancel();
        for (int i = 0; i < failed.Length; i++)
        {
            PendingRequest p = failed[i];
            // The request that timed out reports the timeout; the others were merely caught in the close.
            Exception error = (i == 0 && reason is KafkaException { Error: ErrorCode.RequestTimedOut }) || reason is ProtocolException
                ? reason
                : new KafkaException(ErrorCode.NetworkException, $"Connection to {Name} closed before the {p.ApiKey} response arrived: {reason.Message}", reason);
            p.TrySetException(error);
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        SamsaLog.ConnectionClosed(_options.Logger, Name, reason.Message);
        _options.Metrics?.ConnectionsClosed.Add(1);
        Closed?.Invoke(this, reason);
    }

    public async ValueTask DisposeAsync()
    {
        Close(new KafkaException(ErrorCode.LocalDestroy, $"Connection to {Name} was closed by the client."));
        try
        {
            await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or KafkaException)
        {
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private void CheckTimeouts()
    {
        PendingRequest? expired = null;
        lock (_lock)
        {
            if (_closed || _pending.Count == 0)
            {
                return;
            }

            PendingRequest head = _pending.Peek();
            if (Environment.TickCount64 >= head.Deadline)
            {
                expired = head;
            }
        }

        if (expired is not null)
        {
            long ms = (long)_options.RequestTimeout.TotalMilliseconds;
            SamsaLog.RequestTimedOut(_options.Logger, expired.ApiKey.ToString(), expired.Version, expired.CorrelationId, Name, ms);
            _options.Metrics?.RequestTimeouts.Add(1);
            Close(new KafkaException(ErrorCode.RequestTimedOut,
                $"{expired.ApiKey} request (correlation id {expired.CorrelationId}) to {Name} got no response in time; the connection was closed."));
        }
    }
}
