using System.Buffers;
using System.Buffers.Binary;
using Samsa.Buffers;
using Samsa.Diagnostics;
using Samsa.Protocol;

namespace Samsa.Network;

internal sealed partial class KafkaConnection
{
    private const int CorrelationIdOffset = 8;
    private const int DirectWriteThreshold = 32 * 1024;
    private const int CoalesceBufferSize = 64 * 1024;

    /// <summary>
    /// Sends a request at the highest version both sides support (or <paramref name="version"/> when given,
    /// which must lie in the broker's range) and decodes the response. Do not use for responses whose byte
    /// slices must outlive the call (Fetch): use <see cref="SendLeasedAsync{TRequest, TResponse}"/>.
    /// </summary>
    public async ValueTask<TResponse> SendAsync<TRequest, TResponse>(
        TRequest request, CancellationToken cancellationToken, short version = -1, TimeSpan? timeout = null)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        short v = ResolveVersion(TRequest.ApiKey, version);
        using ResponseFrame frame = await SendFrameAsync<TRequest, TResponse>(request, v, timeout, cancellationToken).ConfigureAwait(false);
        return Decode<TRequest, TResponse>(frame, v);
    }

    /// <summary>Like <see cref="SendAsync{TRequest, TResponse}"/>, but the caller keeps (and must dispose) the frame.</summary>
    public async ValueTask<ResponseLease<TResponse>> SendLeasedAsync<TRequest, TResponse>(
        TRequest request, CancellationToken cancellationToken, short version = -1, TimeSpan? timeout = null)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        short v = ResolveVersion(TRequest.ApiKey, version);
        ResponseFrame frame = await SendFrameAsync<TRequest, TResponse>(request, v, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            return new ResponseLease<TResponse>(Decode<TRequest, TResponse>(frame, v), frame);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a request that gets no response (Produce with acks=0). Completes once the request is queued for
    /// the socket, in order with every other request on this connection.
    /// </summary>
    public void SendWithoutResponse<TRequest, TResponse>(TRequest request, short version = -1)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        short v = ResolveVersion(TRequest.ApiKey, version);
        OutgoingFrame frame = Encode(request, TRequest.ApiKey, v, TRequest.RequestHeaderVersion(v));
        Enqueue(frame, pending: null, TRequest.ApiKey);
    }

    /// <summary>The version to send: the negotiated one, or the caller's when it lies in the broker's range.</summary>
    public short ResolveVersion(ApiKey apiKey, short requested = -1)
    {
        BrokerApiVersions versions = ApiVersions;
        short negotiated = versions.Negotiated(apiKey);
        if (negotiated < 0)
        {
            throw new KafkaException(ErrorCode.UnsupportedVersion,
                $"Broker {Name} supports {apiKey} in versions {versions.Broker(apiKey)}, this client in {ClientApiVersions.For(apiKey)}: no version in common.");
        }

        if (requested < 0)
        {
            return negotiated;
        }

        ApiVersionRange broker = versions.Broker(apiKey);
        if (requested < broker.Min || requested > broker.Max)
        {
            throw new KafkaException(ErrorCode.UnsupportedVersion,
                $"Broker {Name} does not support {apiKey} v{requested} (it supports {broker}).");
        }

        return requested;
    }

    /// <summary>Sends at exactly <paramref name="version"/> and returns the raw response frame (the caller disposes it).</summary>
    internal async ValueTask<ResponseFrame> SendFrameAsync<TRequest, TResponse>(TRequest request, short version, TimeSpan? timeout, CancellationToken cancellationToken)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ApiKey key = TRequest.ApiKey;
        short responseHeader = TRequest.ResponseHeaderVersion(version);
        OutgoingFrame frame = Encode(request, key, version, TRequest.RequestHeaderVersion(version));
        long deadline = Environment.TickCount64 + (long)(timeout ?? _options.RequestTimeout).TotalMilliseconds;
        var pending = new PendingRequest(key, version, responseHeader, deadline);
        Enqueue(frame, pending, key);
        if (!cancellationToken.CanBeCanceled)
        {
            return await pending.Task.ConfigureAwait(false);
        }

        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(
            static (state, token) => ((PendingRequest)state!).TrySetCanceled(token), pending);
        return await pending.Task.ConfigureAwait(false);
    }

    /// <summary>The largest first buffer a frame starts with (a one-off huge request must not make every later one rent as much).</summary>
    private const int MaxFrameSizeHint = 4 * 1024 * 1024;

    /// <summary>The length of the last frame encoded per API key: the next one's starting buffer size.</summary>
    private readonly int[] _lastFrameSizes = new int[128];

    private OutgoingFrame Encode<TRequest>(TRequest request, ApiKey key, short version, short headerVersion)
        where TRequest : IKafkaMessage
    {
        // Start from the size of this API's previous frame (produce requests run to megabytes): growing from 512 B
        // re-copied every frame about once more and went through every pool bucket on the way.
        int[] sizes = _lastFrameSizes;
        int hint = (uint)key < (uint)sizes.Length ? Volatile.Read(ref sizes[(int)key]) : 0;
        var buffer = new PooledBufferWriter(Math.Clamp(hint + hint / 8, 512, MaxFrameSizeHint));
        try
        {
            buffer.Reserve(4);
            var writer = new ProtocolWriter(buffer);
            writer.WriteInt16((short)key);
            writer.WriteInt16(version);
            writer.WriteInt32(0); // correlation id, patched when the frame is queued
            if (headerVersion >= 1)
            {
                writer.WriteString(_options.ClientId, compact: false);
            }

            if (headerVersion >= 2)
            {
                writer.WriteEmptyTaggedFields();
            }

            request.Write(ref writer, version);
            writer.Flush();
            BinaryPrimitives.WriteInt32BigEndian(buffer.WrittenSpanMutable, buffer.WrittenCount - 4);
            byte[] array = buffer.DetachBuffer(out int length);
            if ((uint)key < (uint)sizes.Length)
            {
                Volatile.Write(ref sizes[(int)key], length);
            }

            return new OutgoingFrame(array, length);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private void Enqueue(OutgoingFrame frame, PendingRequest? pending, ApiKey key)
    {
        lock (_lock)
        {
            if (!_closed)
            {
                // While re-authenticating, only the SASL exchange goes out; the rest waits its turn (in order).
                if (_held is not null && key is not (ApiKey.SaslHandshake or ApiKey.SaslAuthenticate))
                {
                    _held.Add(new HeldFrame(frame, pending));
                    return;
                }

                int length = frame.Length;
                if (WriteLocked(frame, pending))
                {
                    if (_options.Metrics is { } metrics)
                    {
                        metrics.RequestsSent.Add(1);
                        metrics.BytesSent.Add(length);
                    }

                    return;
                }
            }
        }

        ArrayPool<byte>.Shared.Return(frame.Buffer);
        throw ClosedError();
    }

    /// <summary>Numbers the frame, registers its response and queues it for the socket (under the lock).</summary>
    private bool WriteLocked(OutgoingFrame frame, PendingRequest? pending)
    {
        int correlationId = _nextCorrelationId;
        _nextCorrelationId = correlationId == int.MaxValue ? 0 : correlationId + 1;
        BinaryPrimitives.WriteInt32BigEndian(frame.Buffer.AsSpan(CorrelationIdOffset), correlationId);
        if (pending is not null)
        {
            pending.CorrelationId = correlationId;
            _pending.Enqueue(pending);
        }

        return _outgoing.Writer.TryWrite(frame);
    }

    private KafkaException ClosedError()
    {
        Exception? reason = CloseReason;
        return new KafkaException(ErrorCode.NetworkException,
            $"Connection to {Name} is closed{(reason is null ? "." : ": " + reason.Message)}", reason);
    }

    /// <summary>
    /// Decodes a response body. One that does not decode means the broker and this client no longer agree on
    /// what is on the wire: the connection is dropped (every other request in flight on it fails with a network
    /// error and is retried on a fresh one, in order) rather than trusted for the responses that follow.
    /// </summary>
    private TResponse Decode<TRequest, TResponse>(ResponseFrame frame, short version)
        where TRequest : IKafkaRequest<TRequest, TResponse>
        where TResponse : IKafkaMessage<TResponse>
    {
        try
        {
            var reader = new ProtocolReader(frame.Body(TRequest.ResponseHeaderVersion(version)));
            return TResponse.Read(ref reader, version);
        }
        catch (ProtocolException ex)
        {
            var error = new ProtocolException($"Malformed {TRequest.ApiKey} v{version} response from {Name}: {ex.Reason}", ex);
            SamsaLog.ProtocolViolation(_options.Logger, Name, error.Message);
            Close(new KafkaException(ErrorCode.NetworkException, $"Dropped the connection to {Name}: {error.Message}", error));
            throw error;
        }
    }

    private async Task WriteLoopAsync()
    {
        System.Threading.Channels.ChannelReader<OutgoingFrame> reader = _outgoing.Reader;
        byte[] coalesce = ArrayPool<byte>.Shared.Rent(CoalesceBufferSize);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                int used = 0;
                while (reader.TryRead(out OutgoingFrame frame))
                {
                    try
                    {
                        if (frame.Length >= DirectWriteThreshold || used + frame.Length > coalesce.Length)
                        {
                            if (used > 0)
                            {
                                await _stream.WriteAsync(coalesce.AsMemory(0, used)).ConfigureAwait(false);
                                used = 0;
                            }
                        }

                        if (frame.Length >= DirectWriteThreshold)
                        {
                            await _stream.WriteAsync(frame.Buffer.AsMemory(0, frame.Length)).ConfigureAwait(false);
                        }
                        else
                        {
                            frame.Buffer.AsSpan(0, frame.Length).CopyTo(coalesce.AsSpan(used));
                            used += frame.Length;
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(frame.Buffer);
                    }
                }

                if (used > 0)
                {
                    await _stream.WriteAsync(coalesce.AsMemory(0, used)).ConfigureAwait(false);
                }

                await _stream.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
        {
            Close(new KafkaException(ErrorCode.NetworkException, $"Writing to {Name} failed: {ex.Message}", ex));
        }
        finally
        {
            while (reader.TryRead(out OutgoingFrame leftover))
            {
                ArrayPool<byte>.Shared.Return(leftover.Buffer);
            }

            ArrayPool<byte>.Shared.Return(coalesce);
        }
    }
}
