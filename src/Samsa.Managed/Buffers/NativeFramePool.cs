namespace Samsa.Buffers;

/// <summary>
/// The few freed <see cref="NativeBuffer"/> blocks kept for reuse. A fresh block costs a page fault per 4 KiB
/// and an unmap when freed: unpooled, that doubled the CPU a consumer spent per message. At most
/// <see cref="MaxRetainedBlocks"/> blocks and <see cref="MaxRetainedBytes"/> bytes stay cached, the rest is
/// given back to the system at once, so the resident memory is what the consumer's budget lets live at once,
/// plus this small cache.
/// </summary>
internal static class NativeFramePool
{
    public const int MaxRetainedBlocks = 4;

    public const long MaxRetainedBytes = 4L * 1024 * 1024;

    // Block sizes are rounded up to this step.
    private const int Granularity = 64 * 1024;

    private static readonly Lock Gate = new();
    private static readonly (nint Pointer, int Capacity, bool Mapped)[] Retained = new (nint, int, bool)[MaxRetainedBlocks];
    private static int _count;
    private static long _retainedBytes;
    private static int _largestRequest;

    /// <summary>Bytes of the blocks cached now (for tests).</summary>
    public static long RetainedBytes
    {
        get
        {
            lock (Gate)
            {
                return _retainedBytes;
            }
        }
    }

    /// <summary>A cached block that holds <paramref name="length"/> bytes (best fit), else false with the capacity a new block should have.</summary>
    public static bool TryTake(int length, out nint pointer, out int capacity, out bool mapped, out int newCapacity)
    {
        lock (Gate)
        {
            int best = -1;
            for (int i = 0; i < _count; i++)
            {
                if (Retained[i].Capacity >= length && (best < 0 || Retained[i].Capacity < Retained[best].Capacity))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                (pointer, capacity, mapped) = Retained[best];
                Retained[best] = Retained[--_count];
                Retained[_count] = default;
                _retainedBytes -= capacity;
                newCapacity = 0;
                return true;
            }

            // Every cached block is smaller than this frame. Frames vary under a maximum and new blocks are made as
            // large as the largest seen (below), so a block too small now would mostly sit resident and unused:
            // the caller empties the cache (TryEvict) before it makes the new block.
            // A new block is made as large as the largest request that could be cached (at most twice this one), so
            // that cached blocks serve later frames of any size below it: Fetch responses vary under their maximum.
            if (length <= MaxRetainedBytes && length > _largestRequest)
            {
                _largestRequest = length;
            }

            long size = _largestRequest <= 2L * length ? Math.Max(length, _largestRequest) : length;
            newCapacity = (int)Math.Min((size + Granularity - 1) / Granularity * Granularity, Array.MaxLength);
            pointer = 0;
            capacity = 0;
            mapped = false;
            return false;
        }
    }

    /// <summary>Whether the block at <paramref name="pointer"/> is cached now (for tests).</summary>
    internal static bool Holds(nint pointer)
    {
        lock (Gate)
        {
            for (int i = 0; i < _count; i++)
            {
                if (Retained[i].Pointer == pointer)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Takes one cached block out to be freed by the caller; false when the cache is empty.</summary>
    public static bool TryEvict(out nint pointer, out int capacity, out bool mapped)
    {
        lock (Gate)
        {
            if (_count == 0)
            {
                (pointer, capacity, mapped) = (0, 0, false);
                return false;
            }

            (pointer, capacity, mapped) = Retained[--_count];
            Retained[_count] = default;
            _retainedBytes -= capacity;
            return true;
        }
    }

    /// <summary>Keeps a freed block if there is room (true), else the caller frees it (false).</summary>
    public static bool TryKeep(nint pointer, int capacity, bool mapped)
    {
        if (capacity > MaxRetainedBytes)
        {
            return false;
        }

        lock (Gate)
        {
            if (_count < MaxRetainedBlocks && _retainedBytes + capacity <= MaxRetainedBytes)
            {
                Retained[_count++] = (pointer, capacity, mapped);
                _retainedBytes += capacity;
                return true;
            }
        }

        return false;
    }
}
