namespace Samsa.Cli.Demo;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (exact below 1024 µs, then 256 buckets per power of two,
/// within 0.4%): constant memory whatever the count, no allocation per record. One per consumer thread; merged
/// for the report.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int LinearLimit = 1024;
    private const int SubBuckets = 256;
    private readonly long[] _counts = new long[LinearLimit + (54 * SubBuckets)];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        _counts[Index(micros)]++;
        Count++;
        if (micros > Max)
        {
            Max = micros;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The latency at or below which <paramref name="percentile"/>% of the records fall (bucket's upper bound).</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), Max);
            }
        }

        return Max;
    }

    private static int Index(long micros)
    {
        if (micros < LinearLimit)
        {
            return (int)micros;
        }

        int power = 63 - (int)long.LeadingZeroCount(micros); // >= 10
        int sub = (int)((micros >> (power - 8)) & (SubBuckets - 1));
        return LinearLimit + ((power - 10) * SubBuckets) + sub;
    }

    private static long UpperBound(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        int power = ((index - LinearLimit) / SubBuckets) + 10;
        int sub = (index - LinearLimit) % SubBuckets;
        long width = 1L << (power - 8);
        return (1L << power) + ((sub + 1) * width) - 1;
    }
}
