namespace Samsa.Soak;

/// <summary>
/// Which offsets of one partition the soak's consumers (all group members together) have seen, in a fixed-size
/// window above a floor below which every offset is settled, so that memory stays flat however long the run.
/// An offset seen twice is a duplicate (at-least-once redelivery after a rebalance is expected); an offset the
/// window moved past unseen is missing. Values carry the producer's sequence number n, produced to partition
/// n % partitions in order, so offset k of partition p must hold n = p + partitions·k: anything else means the
/// log itself lost, repeated or reordered a record. When a consumer falls behind the ~5 MB the test cluster
/// keeps, its position is reset (auto.offset.reset) past offsets the cluster already deleted: those are
/// counted as trimmed, not missing (nobody can read them), and make the run unverifiable rather than lossy.
/// </summary>
internal sealed class OffsetLedger(int partition, int partitions)
{
    // 2^20 offsets (128 KiB of bits): over 20 minutes of this partition at the default rate.
    private const int Window = 1 << 20;

    private readonly ulong[] _bits = new ulong[Window / 64];
    private readonly Lock _lock = new();
    private long _floor = -1;   // every offset <= _floor is settled: seen, or counted missing
    private long _max = -1;     // highest offset seen
    private long _above;        // offsets above _floor seen (bits set)
    private long _seen;
    private long _duplicates;
    private long _missing;
    private long _trimmed;
    private long _resetFrom = -1;
    private readonly List<(long From, long To)> _trimmedRanges = [];
    private long _wrongValues;
    private long _lastDelivered = -1;

    public int Partition => partition;

    public long Floor
    {
        get
        {
            lock (_lock)
            {
                return _floor;
            }
        }
    }

    /// <summary>The producer's highest acknowledged offset in this partition.</summary>
    public long LastDelivered
    {
        get
        {
            lock (_lock)
            {
                return _lastDelivered;
            }
        }
    }

    public void Delivered(long offset)
    {
        lock (_lock)
        {
            _lastDelivered = Math.Max(_lastDelivered, offset);
        }
    }

    /// <summary>A consumer's fetch position <paramref name="offset"/> was out of range and is being reset.</summary>
    public void Reset(long offset)
    {
        lock (_lock)
        {
            _resetFrom = offset;
        }
    }

    /// <summary>The highest offset seen.</summary>
    public long Max
    {
        get
        {
            lock (_lock)
            {
                return _max;
            }
        }
    }

    /// <summary>After the drain: every offset up to the highest seen is settled (seen, trimmed or missing).</summary>
    public void Finish()
    {
        lock (_lock)
        {
            while (_floor < _max)
            {
                Settle();
            }
        }
    }

    public void Consumed(long offset, long sequence)
    {
        lock (_lock)
        {
            if (_resetFrom >= 0)
            {
                // The first record after a reset: what lies between the old position and it was deleted.
                if (offset > _resetFrom)
                {
                    _trimmedRanges.Add((_resetFrom, offset));
                }

                _resetFrom = -1;
            }

            if (sequence != partition + (partitions * offset))
            {
                _wrongValues++;
            }

            if (offset <= _floor)
            {
                _duplicates++;
                return;
            }

            while (offset > _floor + Window)
            {
                Settle();
            }

            int index = (int)(offset % Window);
            ulong mask = 1UL << (index & 63);
            if ((_bits[index >> 6] & mask) != 0)
            {
                _duplicates++;
                return;
            }

            _bits[index >> 6] |= mask;
            _above++;
            _seen++;
            _max = Math.Max(_max, offset);
            while (_floor < _max && IsSet(_floor + 1))
            {
                Settle();
            }
        }
    }

    /// <summary>Counts so far: holes are offsets below the highest seen that nobody has seen yet (pending).</summary>
    public (long Seen, long Duplicates, long Missing, long Trimmed, long Holes, long WrongValues, long Lag) Counts()
    {
        lock (_lock)
        {
            long holes = _max - _floor - _above;
            return (_seen, _duplicates, _missing, _trimmed, holes, _wrongValues, _lastDelivered - _max);
        }
    }

    private bool IsSet(long offset)
    {
        int index = (int)(offset % Window);
        return (_bits[index >> 6] & (1UL << (index & 63))) != 0;
    }

    // Moves the floor up by one offset, counting it missing if it was never seen.
    private void Settle()
    {
        long next = _floor + 1;
        int index = (int)(next % Window);
        ulong mask = 1UL << (index & 63);
        if ((_bits[index >> 6] & mask) != 0)
        {
            _bits[index >> 6] &= ~mask;
            _above--;
        }
        else if (IsTrimmed(next))
        {
            _trimmed++;
        }
        else
        {
            _missing++;
        }

        _floor = next;
        if (_trimmedRanges.Count > 0 && _trimmedRanges[0].To <= _floor)
        {
            _trimmedRanges.RemoveAt(0);
        }
    }

    private bool IsTrimmed(long offset)
    {
        foreach ((long from, long to) in _trimmedRanges)
        {
            if (offset >= from && offset < to)
            {
                return true;
            }
        }

        return false;
    }
}
