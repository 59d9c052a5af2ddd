using System.Buffers;
using System.Buffers.Binary;
using Samsa.Diagnostics;

namespace Samsa.Network;

internal sealed partial class KafkaConnection
{
    private const int ReceiveBufferSize = 64 * 1024;

    /// <summary>
    /// Reads frames: small ones are parsed out of one shared receive buffer, large ones are read straight into
    /// an array of their own size. Every frame is checked against the size limit before anything is rented,
    /// and its correlation id against the oldest pending request.
    /// </summary>
    private async Task ReadLoopAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        int start = 0;
        int end = 0;
        CancellationToken token = _shutdown.Token;
        try
        {
            while (true)
            {
                while (end - start < 4)
                {
                    Compact(buffer, ref start, ref end);
                    int n = await _stream.ReadAsync(buffer.AsMemory(end), token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        throw new KafkaException(ErrorCode.NetworkException, $"Broker {Name} closed the connection.");
                    }

                    end += n;
                }

                int size = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(start));
                if (size < 4 || size > _options.MaxResponseSize)
                {
                    throw new ProtocolException(
                        $"Broker {Name} sent a frame of {size} bytes; frames must hold 4 to {_options.MaxResponseSize} bytes (receive.message.max.bytes).");
                }

                start += 4;
                // Big frames (fetch responses) in native memory freed on dispose, so they never pile up on the large-object heap.
                var frame = ResponseFrame.Allocate(size);
                try
                {
                    Memory<byte> target = frame.Writable;
                    int have = Math.Min(size, end - start);
                    buffer.AsSpan(start, have).CopyTo(target.Span);
                    start += have;
                    while (have < size)
                    {
                        int n = await _stream.ReadAsync(target[have..], token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            throw new KafkaException(ErrorCode.NetworkException, $"Broker {Name} closed the connection in the middle of a response.");
                        }

                        have += n;
                    }
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }

                _options.Metrics?.BytesReceived.Add(size + 4);
                Dispatch(frame);
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or KafkaException)
        {
            if (ex is ProtocolException)
            {
                SamsaLog.ProtocolViolation(_options.Logger, Name, ex.Message);
            }

            Close(ex as KafkaException ?? new KafkaException(ErrorCode.NetworkException, $"Reading from {Name} failed: {ex.Message}", ex));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Compact(byte[] buffer, ref int start, ref int end)
    {
        if (start == end)
        {
            start = end = 0;
        }
        else if (start > 0 && buffer.Length - end < 4)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }
    }

    private void Dispatch(ResponseFrame frame)
    {
        int correlationId = BinaryPrimitives.ReadInt32BigEndian(frame.Memory.Span);
        PendingRequest? pending;
        lock (_lock)
        {
            _pending.TryDequeue(out pending);
            SignalIfDrainedLocked();
        }

        if (pending is null || pending.CorrelationId != correlationId)
        {
            frame.Dispose();
            var error = new ProtocolException(pending is null
                ? $"Broker {Name} sent a response (correlation id {correlationId}) to no request."
                : $"Broker {Name} answered correlation id {correlationId} where {pending.CorrelationId} ({pending.ApiKey}) was expected.");
            pending?.TrySetException(error);
            throw error;
        }

        pending.Deliver(frame);
    }
}
