namespace Samsa.TestSupport;

/// <summary>
/// The faults a <see cref="ChaosProxy"/> applies to one broker's connections. Every setting takes effect at the
/// next frame; <see cref="Heal"/> lifts them all.
/// </summary>
public sealed class ChaosBroker
{
    private readonly Lock _lock = new();
    private CancellationTokenSource _cutAll = new();
    private int _cutRequests;
    private int _cutResponses;
    private long _stallResponsesUntil;
    private long _stallRequestsUntil;
    private int _delayMs;

    internal ChaosBroker(int brokerId)
    {
        BrokerId = brokerId;
    }

    public int BrokerId { get; }

    /// <summary>New connections are accepted and closed at once (existing ones are left alone).</summary>
    public bool RefuseConnections { get; set; }

    /// <summary>Added before every frame forwarded, both ways.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromMilliseconds(Volatile.Read(ref _delayMs));
        set => Volatile.Write(ref _delayMs, (int)value.TotalMilliseconds);
    }

    internal CancellationToken CutAllToken
    {
        get
        {
            lock (_lock)
            {
                return _cutAll.Token;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> request frames to this broker are cut half-way, each ending its connection.</summary>
    public void CutRequests(int count) => Interlocked.Add(ref _cutRequests, count);

    /// <summary>The next <paramref name="count"/> response frames from this broker are cut half-way, each ending its connection.</summary>
    public void CutResponses(int count) => Interlocked.Add(ref _cutResponses, count);

    /// <summary>Responses are held back (the requests still reach the broker) for <paramref name="duration"/>.</summary>
    public void StallResponses(TimeSpan duration) =>
        Volatile.Write(ref _stallResponsesUntil, Environment.TickCount64 + (long)duration.TotalMilliseconds);

    /// <summary>Requests are held back (nothing reaches the broker) for <paramref name="duration"/>.</summary>
    public void StallRequests(TimeSpan duration) =>
        Volatile.Write(ref _stallRequestsUntil, Environment.TickCount64 + (long)duration.TotalMilliseconds);

    /// <summary>Ends every open connection to this broker now, wherever its frames are.</summary>
    public void CutAllConnections()
    {
        CancellationTokenSource old;
        lock (_lock)
        {
            old = _cutAll;
            _cutAll = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    public void Heal()
    {
        RefuseConnections = false;
        Delay = TimeSpan.Zero;
        Volatile.Write(ref _cutRequests, 0);
        Volatile.Write(ref _cutResponses, 0);
        Volatile.Write(ref _stallResponsesUntil, 0);
        Volatile.Write(ref _stallRequestsUntil, 0);
    }

    internal bool TakeCut(bool request)
    {
        ref int counter = ref request ? ref _cutRequests : ref _cutResponses;
        while (true)
        {
            int n = Volatile.Read(ref counter);
            if (n <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, n - 1, n) == n)
            {
                return true;
            }
        }
    }

    internal async Task WaitAsync(bool request, CancellationToken cancellationToken)
    {
        int delay = Volatile.Read(ref _delayMs);
        if (delay > 0)
        {
            await Task.Delay(delay, cancellationToken);
        }

        // Re-read after each wait: a stall may be extended or lifted meanwhile.
        while (true)
        {
            long until = Volatile.Read(ref request ? ref _stallRequestsUntil : ref _stallResponsesUntil);
            long left = until - Environment.TickCount64;
            if (left <= 0)
            {
                return;
            }

            await Task.Delay((int)Math.Min(left, 100), cancellationToken);
        }
    }
}
