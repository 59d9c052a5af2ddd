using Samsa.Buffers;
using Samsa.Protocol;

namespace Samsa.Network;

/// <summary>
/// One response as it came off the wire (correlation id, header, body) in an array from <see cref="LargeArrayPool"/>. Whoever holds it
/// disposes it exactly once; decoded messages that keep slices of it (Fetch records) must not outlive it.
/// </summary>
internal sealed class ResponseFrame : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    public ResponseFrame(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The whole frame after the size prefix.</summary>
    public ReadOnlyMemory<byte> Memory =>
        (_buffer ?? throw new ObjectDisposedException(nameof(ResponseFrame))).AsMemory(0, _length);

    public int Length => _length;

    /// <summary>The body after a response header of the given version (v1 adds a tagged-field section).</summary>
    public ReadOnlyMemory<byte> Body(short headerVersion)
    {
        ReadOnlyMemory<byte> memory = Memory;
        var reader = new ProtocolReader(memory);
        reader.ReadInt32();
        if (headerVersion >= 1)
        {
            uint count = reader.ReadUnsignedVarInt();
            for (uint i = 0; i < count; i++)
            {
                reader.ReadUnsignedVarInt();
                reader.ReadTaggedFieldReader(out _);
            }
        }

        return memory[reader.Position..];
    }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            LargeArrayPool.Instance.Return(buffer);
        }
    }
}

/// <summary>A decoded response together with the frame its byte slices point into.</summary>
internal readonly struct ResponseLease<T> : IDisposable
{
    public ResponseLease(T message, ResponseFrame frame)
    {
        Message = message;
        Frame = frame;
    }

    public T Message { get; }

    public ResponseFrame Frame { get; }

    public void Dispose() => Frame.Dispose();
}
