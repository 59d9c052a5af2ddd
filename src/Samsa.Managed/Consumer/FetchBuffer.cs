using System.Buffers;
using System.Diagnostics;
using Samsa.Buffers;
using Samsa.Network;

namespace Samsa.Consumer;

/// <summary>
/// Reference-counted memory that fetched records point into: a Fetch response frame (uncompressed batches are
/// read in place) or a pooled array holding one decompressed batch. Two kinds of reference: the consumer's own
/// (the fetch, the partition queues, the poll cursor) and the application's leases (<see cref="RetainLease"/>,
/// behind <c>ConsumedRecord.Retain</c> and every message libsamsa's poll hands out). Its bytes count against the
/// <see cref="FetchMemoryBudget"/> until the consumer's last reference goes: what the application holds is
/// delivered data, not prefetched data (as librdkafka counts its queue), so messages kept by the application never
/// stop the fetching. The memory goes back to its pool when the last reference of either kind goes (a large
/// frame's native block is cached or unmapped at once: a record must not be read after its release).
/// Starts with one reference of the consumer's, owned by whoever created it.
/// </summary>
internal sealed class FetchBuffer
{
    private readonly FetchMemoryBudget _budget;
    private readonly long _accounted;
    private ResponseFrame? _frame;
    private byte[]? _array;

    // Low 32 bits: the consumer's references; high 32 bits: the application's leases. One word, so that "the last
    // reference of either kind" is decided atomically.
    private long _references = 1;

    private const long Lease = 1L << 32;
    private const long OwnMask = Lease - 1;

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

    /// <summary>Adds a reference of the consumer's; fails once the buffer was freed.</summary>
    public void Retain() => Add(1);

    /// <summary>
    /// Adds an application's lease: the memory stays valid until <see cref="ReleaseLease"/>, but no longer counts
    /// against the budget once the consumer is done with it. Fails once the buffer was freed (a record used after
    /// it expired).
    /// </summary>
    public void RetainLease() => Add(Lease);

    /// <summary>Drops a reference of the consumer's; the last one returns the bytes to the budget.</summary>
    public void Release() => Drop(1);

    /// <summary>Drops an application's lease.</summary>
    public void ReleaseLease() => Drop(Lease);

    private void Add(long amount)
    {
        while (true)
        {
            long current = Volatile.Read(ref _references);
            // The consumer adds its references only while it holds one (a chunk taking the frame from its fetch), so
            // its count never comes back from 0 and the budget is returned once.
            Debug.Assert(amount != 1 || (current & OwnMask) > 0, "a consumer reference added after the consumer's last one went");
            if (current <= 0)
            {
                throw new ObjectDisposedException(nameof(FetchBuffer),
                    "The record's memory was already released: a consumed record is valid only until the next consume call unless retained before it.");
            }

            if (Interlocked.CompareExchange(ref _references, current + amount, current) == current)
            {
                return;
            }
        }
    }

    private void Drop(long amount)
    {
        bool own = amount == 1;
        while (true)
        {
            long current = Volatile.Read(ref _references);
            if ((own ? current & OwnMask : current >> 32) == 0)
            {
                return; // a double release is a bug in the caller; never free twice
            }

            long left = current - amount;
            if (Interlocked.CompareExchange(ref _references, left, current) != current)
            {
                continue;
            }

            if (own && (left & OwnMask) == 0)
            {
                _budget.ReleaseBuffer(_accounted); // delivered: the application's leases are its own memory
            }

            if (left == 0)
            {
                Interlocked.Exchange(ref _frame, null)?.Dispose();
                byte[]? array = Interlocked.Exchange(ref _array, null);
                if (array is not null)
                {
                    LargeArrayPool.Instance.Return(array);
                }
            }

            return;
        }
    }
}
