using System.Buffers;
using System.Runtime.CompilerServices;

namespace Samsa.Buffers;

/// <summary>
/// A growable, contiguous <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}"/>.
/// Written bytes can be patched afterwards (frame sizes, CRCs, counts), which a plain pipe cannot do.
/// Not thread-safe. Dispose returns the array to the pool; the writer can be reused after <see cref="Reset"/>.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumGrowth = 256;
    private readonly ArrayPool<byte> _pool;
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _pool = pool ?? ArrayPool<byte>.Shared;
        _buffer = initialCapacity == 0 ? [] : _pool.Rent(initialCapacity);
    }

    /// <summary>Number of bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The bytes written so far, writable, for patching lengths and checksums in place.</summary>
    public Span<byte> WrittenSpanMutable => _buffer.AsSpan(0, _written);

    /// <summary>Current capacity of the underlying array.</summary>
    public int Capacity => _buffer.Length;

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            ThrowAdvancedTooFar(count);
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Writes <paramref name="source"/> at the end.</summary>
    public void Write(ReadOnlySpan<byte> source)
    {
        EnsureCapacity(source.Length);
        source.CopyTo(_buffer.AsSpan(_written));
        _written += source.Length;
    }

    /// <summary>Reserves <paramref name="count"/> bytes to be patched later and returns their offset.</summary>
    public int Reserve(int count)
    {
        EnsureCapacity(count);
        int offset = _written;
        _written += count;
        return offset;
    }

    /// <summary>Forgets what was written; keeps the rented array.</summary>
    public void Reset() => _written = 0;

    /// <summary>
    /// Hands the rented array over to the caller, who must return it to <see cref="ArrayPool{T}.Shared"/>
    /// (or the pool given at construction). The writer starts again empty.
    /// </summary>
    public byte[] DetachBuffer(out int length)
    {
        byte[] buffer = _buffer;
        length = _written;
        _buffer = [];
        _written = 0;
        return buffer;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            _pool.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCapacity(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (_buffer.Length - _written < sizeHint)
        {
            Grow(sizeHint);
        }
    }

    private void Grow(int sizeHint)
    {
        long needed = (long)_written + Math.Max(sizeHint, MinimumGrowth);
        long doubled = Math.Max((long)_buffer.Length * 2, needed);
        int newSize = (int)Math.Min(doubled, Array.MaxLength);
        if (newSize < needed)
        {
            throw new InsufficientMemoryException($"A buffer of {needed} bytes is larger than an array can be.");
        }

        byte[] next = _pool.Rent(newSize);
        _buffer.AsSpan(0, _written).CopyTo(next);
        byte[] old = _buffer;
        _buffer = next;
        if (old.Length > 0)
        {
            _pool.Return(old);
        }
    }

    private static void ThrowAdvancedTooFar(int count) =>
        throw new ArgumentOutOfRangeException(nameof(count), count, "Advanced past the end of the buffer.");
}
