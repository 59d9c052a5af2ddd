namespace Samsa.Consumer;

/// <summary>
/// The consumer's prefetch memory bound (queued.max.messages.kbytes): every fetch response frame and every
/// decompressed buffer alive is counted, from the moment a fetch is sent (as a reservation of its maximum size)
/// until the last record pointing into it is released. A fetch is only sent when enough of the budget is free,
/// and it asks for no more than what is free, so all buffered fetched data together stays within the limit
/// (a broker may still return one batch larger than asked for, as the protocol allows, to make progress).
/// </summary>
internal sealed class FetchMemoryBudget
{
    private readonly AsyncSignal _freed = new();
    private long _used;
    private long _buffered;

    public FetchMemoryBudget(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    public long Limit { get; }

    /// <summary>Bytes held by live buffers plus reservations of fetches in flight.</summary>
    public long Used => Volatile.Read(ref _used);

    public long Available => Math.Max(0, Limit - Used);

    /// <summary>Bytes held by live buffers only (what is really in memory, reservations excluded).</summary>
    public long Buffered => Volatile.Read(ref _buffered);

    /// <summary>
    /// Reserves up to <paramref name="wanted"/> bytes when at least <paramref name="minimum"/> are free; returns what
    /// was reserved, or 0 (nothing reserved) when less than the minimum is free.
    /// </summary>
    public long TryReserve(long wanted, long minimum)
    {
        minimum = Math.Max(1, Math.Min(minimum, wanted));
        while (true)
        {
            long used = Volatile.Read(ref _used);
            long free = Limit - used;
            if (free < minimum)
            {
                return 0;
            }

            long take = Math.Min(wanted, free);
            if (Interlocked.CompareExchange(ref _used, used + take, used) == used)
            {
                return take;
            }
        }
    }

    /// <summary>Counts a buffer that now exists (no check: it is already in memory).</summary>
    public void AddBuffer(long bytes)
    {
        Interlocked.Add(ref _used, bytes);
        Interlocked.Add(ref _buffered, bytes);
    }

    /// <summary>A buffer takes over <paramref name="bytes"/> of a reservation: counted once, now as buffered.</summary>
    public void AdoptReserved(long bytes) => Interlocked.Add(ref _buffered, bytes);

    /// <summary>Gives back the bytes of a freed buffer, and wakes waiting fetchers.</summary>
    public void ReleaseBuffer(long bytes)
    {
        Interlocked.Add(ref _buffered, -bytes);
        Release(bytes);
    }

    /// <summary>Gives back an unused reservation, and wakes waiting fetchers.</summary>
    public void Release(long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }

        Interlocked.Add(ref _used, -bytes);
        _freed.Set();
    }

    /// <summary>Completes when some memory was released since the last wait (may complete spuriously).</summary>
    public Task WaitForReleaseAsync() => _freed.WaitAsync();
}
