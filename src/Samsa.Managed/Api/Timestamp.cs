namespace Samsa;

/// <summary>A record timestamp: milliseconds since the Unix epoch and its type.</summary>
public readonly record struct Timestamp(long UnixTimestampMs, TimestampType Type)
{
    /// <summary>No timestamp; the producer uses the current time.</summary>
    public static readonly Timestamp Default = new(0, TimestampType.NotAvailable);

    public Timestamp(DateTimeOffset time)
        : this(time.ToUnixTimeMilliseconds(), TimestampType.CreateTime)
    {
    }

    public DateTime UtcDateTime => DateTimeOffset.FromUnixTimeMilliseconds(UnixTimestampMs).UtcDateTime;
}
