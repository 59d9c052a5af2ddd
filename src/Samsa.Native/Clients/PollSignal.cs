namespace Samsa.Native.Clients;

/// <summary>
/// Wakes a thread blocked in a poll when work arrives, at the cost of one volatile read per item when no one
/// waits. A waiter registers, re-checks for work, then sleeps; a producer of work signals only when someone is
/// registered, so no wake-up is lost.
/// </summary>
internal sealed class PollSignal : IDisposable
{
    private readonly ManualResetEventSlim _event = new(false, spinCount: 0);
    private int _waiters;

    public void Notify()
    {
        if (Volatile.Read(ref _waiters) > 0)
        {
            _event.Set();
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (negative: no limit) unless <paramref name="hasWork"/> already says there is work.</summary>
    public void Wait(int timeoutMs, Func<bool> hasWork)
    {
        Interlocked.Increment(ref _waiters);
        try
        {
            _event.Reset();
            if (!hasWork())
            {
                _event.Wait(timeoutMs < 0 ? Timeout.Infinite : timeoutMs);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    public void Dispose() => _event.Dispose();
}
