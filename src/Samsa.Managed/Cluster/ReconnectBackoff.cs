namespace Samsa.Cluster;

/// <summary>
/// Exponential backoff between connection attempts to one broker (reconnect.backoff.ms doubling up to
/// reconnect.backoff.max.ms, with ±20% jitter so that clients do not reconnect in lockstep).
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max)
{
    private int _failures;
    private long _nextAttempt;

    public int Failures => _failures;

    /// <summary>Milliseconds until the next attempt is allowed (0 when now).</summary>
    public long RemainingMs => Math.Max(0, _nextAttempt - Environment.TickCount64);

    public void Failed()
    {
        _failures++;
        double ms = initial.TotalMilliseconds * Math.Pow(2, Math.Min(_failures - 1, 20));
        ms = Math.Min(ms, max.TotalMilliseconds);
        ms *= 0.8 + (Random.Shared.NextDouble() * 0.4);
        _nextAttempt = Environment.TickCount64 + (long)ms;
    }

    public void Succeeded()
    {
        _failures = 0;
        _nextAttempt = 0;
    }
}
