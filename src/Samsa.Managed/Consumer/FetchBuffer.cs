using System.Buffers;
using Samsa.Buffers;
using Samsa.Network;

namespace Samsa.Consumer;

/// <summary>
/// Reference-counted memory that fetched records point into: a Fetch response frame (uncompressed batches are
/// read in place) or a pooled array holding one decompressed batch. Its bytes count against the
/// <see cref="FetchMemoryBudget"/> until the last reference is released; then the memory goes back to its pool
/// (a large frame's native block is cached or unmapped at once: a record must not be read after its release).
/// Starts with one reference, owned by whoever created it.
/// </summary>
internal sealed class FetchBuffer
{
    private readonly FetchMemoryBudget _budget;
    private readonly long _accounted;
    private ResponseFrame? _frame;
    private byte[]? _array;
    private int _references = 1;

    private FetchBuffer(FetchMemoryBudget budget, long accounted, long prepaid, ResponseFrame? frame, byte[]? array)
    {
        _budget = budget;
        _accounted = accounted;
        _frame = frame;
        _array = array;
        Memory = frame is not null ? frame.Memory : array.AsMemory(0, (int)accounted);
        budget.AdoptReserved(prepaid);
        budget.AddBuffer(accounted - prepaid);
    }

    /// <summary>
    /// Wraps a response frame; its length is counted against the budget. <paramref name="prepaid"/> bytes of it
    /// are already counted (taken over from the fetch's reservation, which shrinks by as much).
    /// </summary>
    public static FetchBuffer ForFrame(ResponseFrame frame, FetchMemoryBudget budget, long prepaid = 0) =>
        new(budget, frame.Length, Math.Clamp(prepaid, 0, frame.Length), frame, null);

    /// <summary>Wraps an array rented from <see cref="LargeArrayPool"/> (or <see cref="ArrayPool{T}.Shared"/>) of which <paramref name="length"/> bytes are used.</summary>
    public static FetchBuffer ForPooledArray(byte[] array, int length, FetchMemoryBudget budget) => new(budget, length, 0, null, array);

    /// <summary>The bytes (valid while a reference is held).</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>Bytes counted against the budget.</summary>
    public long AccountedBytes => _accounted;

    public bool IsAlive => Volatile.Read(ref _references) > 0;

    /// <summary>Adds a reference; fails once the buffer was freed (a record used after it expired).</summary>
    public void Retain()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                throw new ObjectDisposedException(nameof(FetchBuffer),
                    "The record's memory was already released: a consumed record is valid only until the next consume call unless retained before it.");
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Drops a reference; the last one frees the memory and returns its bytes to the budget.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left > 0)
        {
            return;
        }

        if (left < 0)
        {
            // A double release is a bug in the caller; never free twice.
            Interlocked.Exchange(ref _references, 0);
            return;
        }

        Interlocked.Exchange(ref _frame, null)?.Dispose();
        byte[]? array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            LargeArrayPool.Instance.Return(array);
        }

        _budget.ReleaseBuffer(_accounted);
    }
}
