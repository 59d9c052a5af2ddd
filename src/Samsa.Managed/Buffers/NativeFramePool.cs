namespace Samsa.Buffers;

/// <summary>
/// Freed <see cref="NativeBuffer"/> blocks kept for reuse. A fresh block costs a page fault per 4 KiB and an unmap
/// when freed: unpooled, that doubled the CPU a consumer spent per message. The cache holds at most
/// <see cref="RetainLimit"/> bytes: the prefetch budgets (<c>queued.max.messages.kbytes</c>) of the consumers alive
/// in the process, at least <see cref="MinRetainedBytes"/>, and only while live and cached frames together stay
/// within that: a consumer may hold its budget in live frames anyway, so keeping what it freed for its next fetches
/// adds nothing beyond what it was allowed. A smaller fixed cache could not hold the multi-megabyte frames a 64 MiB
/// budget fetches, and every one of them was mapped fresh (the C# consumer spent 1.2 instead of 0.8 CPU s per
/// million messages). Blocks unused for <see cref="IdleMilliseconds"/>,
/// and any above the limit once a consumer is gone, are given back (<see cref="NativeBuffer.TrimCache()"/>).
/// </summary>
internal static class NativeFramePool
{
    public const int MaxRetainedBlocks = 64;

    /// <summary>What the cache may hold when no consumer asks for more (one or two frames of a small budget).</summary>
    public const long MinRetainedBytes = 4L * 1024 * 1024;

    /// <summary>How long a cached block may go unused before trimming frees it.</summary>
    public const long IdleMilliseconds = 10_000;

    // Block sizes are rounded up to this step.
    private const int Granularity = 64 * 1024;

    private static readonly Lock Gate = new();
    private static readonly (nint Pointer, int Capacity, bool Mapped, long KeptAt)[] Retained =
        new (nint, int, bool, long)[MaxRetainedBlocks];

    private static int _count;
    private static long _retainedBytes;
    private static int _largestRequest;
    private static long _demand;

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

    /// <summary>The most the cache holds now: the live consumers' prefetch budgets, at least <see cref="MinRetainedBytes"/>.</summary>
    public static long RetainLimit => Math.Max(MinRetainedBytes, Volatile.Read(ref _demand));

    /// <summary>A consumer with a prefetch budget of <paramref name="bytes"/> starts (positive) or ends (negative).</summary>
    public static void AddDemand(long bytes) => Interlocked.Add(ref _demand, bytes);

    /// <summary>A cached block that holds <paramref name="length"/> bytes (best fit), else false with the capacity a new block should have.</summary>
    public static bool TryTake(int length, out nint pointer, out int capacity, out bool mapped, out int newCapacity)
    {
        long limit = RetainLimit;
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
                (pointer, capacity, mapped, _) = Retained[best];
                RemoveAt(best);
                newCapacity = 0;
                return true;
            }

            // Every cached block is smaller than this frame. Frames vary under a maximum and new blocks are made as
            // large as the largest seen (below), so a block too small now would mostly sit resident and unused:
            // the caller empties the cache (TryEvict) before it makes the new block.
            // A new block is made as large as the largest request that could be cached (at most twice this one), so
            // that cached blocks serve later frames of any size below it: Fetch responses vary under their maximum.
            if (length <= limit && length > _largestRequest)
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

            (pointer, capacity, mapped, _) = Retained[_count - 1];
            RemoveAt(_count - 1);
            return true;
        }
    }

    /// <summary>
    /// Takes out one block to be freed by the caller: one unused since before <paramref name="now"/> minus
    /// <see cref="IdleMilliseconds"/>, or the oldest while the cache holds more than <see cref="RetainLimit"/>.
    /// </summary>
    public static bool TryEvictStale(long now, out nint pointer, out int capacity, out bool mapped)
    {
        long limit = RetainLimit;
        lock (Gate)
        {
            int oldest = -1;
            for (int i = 0; i < _count; i++)
            {
                if (oldest < 0 || Retained[i].KeptAt < Retained[oldest].KeptAt)
                {
                    oldest = i;
                }
            }

            if (oldest >= 0 && (_retainedBytes > limit || now - Retained[oldest].KeptAt >= IdleMilliseconds))
            {
                (pointer, capacity, mapped, _) = Retained[oldest];
                RemoveAt(oldest);
                return true;
            }

            (pointer, capacity, mapped) = (0, 0, false);
            return false;
        }
    }

    /// <summary>
    /// Keeps a freed block if there is room (true), else the caller frees it (false). <paramref name="allocatedBytes"/>
    /// is all frame memory not given back, this block and the cached ones included: a block is kept only while that
    /// stays within <see cref="RetainLimit"/>, so live and cached frames together never exceed the budgets (a
    /// backlog of live frames leaves no room for caching).
    /// </summary>
    public static bool TryKeep(nint pointer, int capacity, bool mapped, long allocatedBytes)
    {
        long limit = RetainLimit;
        if (capacity > limit || allocatedBytes > limit)
        {
            return false;
        }

        long now = Environment.TickCount64;
        lock (Gate)
        {
            if (_count < MaxRetainedBlocks && _retainedBytes + capacity <= limit)
            {
                Retained[_count++] = (pointer, capacity, mapped, now);
                _retainedBytes += capacity;
                return true;
            }
        }

        return false;
    }

    private static void RemoveAt(int index)
    {
        _retainedBytes -= Retained[index].Capacity;
        Retained[index] = Retained[--_count];
        Retained[_count] = default;
    }
}
