using System.Buffers;

namespace Samsa.Compression;

/// <summary>
/// Owns an array rented from <see cref="ArrayPool{T}.Shared"/> and returns it on <see cref="Dispose"/> (once,
/// even when disposed twice or from two threads). After disposal the memory must no longer be used.
/// </summary>
public sealed class PooledArrayOwner : IMemoryOwner<byte>
{
    private byte[]? _array;
    private readonly int _length;

    /// <summary>Takes ownership of <paramref name="array"/>, of which the first <paramref name="length"/> bytes are in use.</summary>
    public PooledArrayOwner(byte[] array, int length)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)array.Length, nameof(length));
        _array = array;
        _length = length;
    }

    /// <inheritdoc />
    public Memory<byte> Memory => _array is { } a
        ? a.AsMemory(0, _length)
        : throw new ObjectDisposedException(nameof(PooledArrayOwner));

    /// <inheritdoc />
    public void Dispose()
    {
        byte[]? array = Interlocked.Exchange(ref _array, null);
        if (array is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
