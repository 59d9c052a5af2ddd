using System.Buffers;
using Samsa.Buffers;
using Samsa.Protocol;

namespace Samsa.Network;

/// <summary>
/// One response as it came off the wire (correlation id, header, body): a small one in an array from
/// <see cref="ArrayPool{T}.Shared"/>, a large one (at least <see cref="NativeThreshold"/> bytes: Fetch responses)
/// in a <see cref="NativeBuffer"/> outside the GC heap, freed when the frame is disposed. Whoever holds it disposes
/// it exactly once; decoded messages that keep slices of it (Fetch records) must not outlive it.
/// </summary>
internal sealed class ResponseFrame : IDisposable
{
    /// <summary>Frames at least this long live in native memory (the large-object heap starts at 85,000 bytes).</summary>
    public const int NativeThreshold = 128 * 1024;

    private readonly int _length;
    private byte[]? _buffer;
    private NativeBuffer? _native;

    public ResponseFrame(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ResponseFrame(NativeBuffer buffer, int length)
    {
        _native = buffer;
        _length = length;
    }

    /// <summary>A frame of <paramref name="length"/> bytes to be filled, in the memory its size calls for.</summary>
    public static ResponseFrame Allocate(int length) => length >= NativeThreshold
        ? new ResponseFrame(NativeBuffer.Allocate(length), length)
        : new ResponseFrame(ArrayPool<byte>.Shared.Rent(length), length);

    /// <summary>The whole frame after the size prefix.</summary>
    public ReadOnlyMemory<byte> Memory => Writable;

    /// <summary>The frame's bytes, for the receive loop to fill.</summary>
    internal Memory<byte> Writable =>
        _buffer is { } array ? array.AsMemory(0, _length)
        : _native is { } native ? native.Memory[.._length]
        : throw new ObjectDisposedException(nameof(ResponseFrame));

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
            ArrayPool<byte>.Shared.Return(buffer);
        }

        ((IDisposable?)Interlocked.Exchange(ref _native, null))?.Dispose();
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
