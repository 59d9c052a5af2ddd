namespace Samsa.Admin;

/// <summary>
/// One admin operation in progress: its deadline (the request timeout, retries included), the broker-side
/// operation timeout, and the backoff between attempts. Requests carry the remaining time as their network
/// timeout; a request with a broker-side timeout field gets a short grace on top so that the broker's own
/// answer (REQUEST_TIMED_OUT) arrives before the connection gives up on it.
/// </summary>
internal sealed class AdminCall : IDisposable
{
    /// <summary>Time allowed beyond the deadline for a broker to answer a request that waited its operation timeout.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _limit;
    private readonly long _deadline;
    private readonly TimeSpan _backoff;
    private readonly TimeSpan _backoffMax;
    private readonly TimeSpan? _operationTimeout;

    public AdminCall(string operation, AdminOptions options, TimeSpan defaultTimeout, TimeSpan backoff, TimeSpan backoffMax, CancellationToken cancellationToken)
    {
        Operation = operation;
        TimeSpan timeout = options.RequestTimeout ?? defaultTimeout;
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "AdminOptions.RequestTimeout must be positive.");
        }

        if (options.OperationTimeout is { } op && op < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), op, "AdminOptions.OperationTimeout must not be negative.");
        }

        ValidateOnly = options.ValidateOnly;
        _operationTimeout = options.OperationTimeout;
        _deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        _backoff = backoff;
        _backoffMax = backoffMax < backoff ? backoff : backoffMax;
        UserToken = cancellationToken;
        _limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _limit.CancelAfter(timeout + Grace);
    }

    public string Operation { get; }

    public bool ValidateOnly { get; }

    /// <summary>The caller's token.</summary>
    public CancellationToken UserToken { get; }

    /// <summary>Cancelled by the caller or shortly after the deadline: bounds connection set-up and lookups.</summary>
    public CancellationToken Token => _limit.Token;

    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; private set; }

    public TimeSpan Remaining => TimeSpan.FromMilliseconds(Math.Max(0, _deadline - Environment.TickCount64));

    public bool Expired => Environment.TickCount64 >= _deadline;

    /// <summary>The network timeout of a request without a broker-side timeout.</summary>
    public TimeSpan RequestTimeout => Max(Remaining, TimeSpan.FromMilliseconds(100));

    /// <summary>The broker-side timeout field: the operation timeout, never beyond the deadline.</summary>
    public int OperationTimeoutMs
    {
        get
        {
            TimeSpan remaining = Remaining;
            TimeSpan op = _operationTimeout is { } t && t < remaining ? t : remaining;
            return (int)Math.Min(int.MaxValue, (long)op.TotalMilliseconds);
        }
    }

    /// <summary>The network timeout of a request that carries <see cref="OperationTimeoutMs"/>.</summary>
    public TimeSpan OperationRequestTimeout => TimeSpan.FromMilliseconds(OperationTimeoutMs) + Grace;

    /// <summary>Counts an attempt.</summary>
    public void BeginAttempt() => Attempts++;

    /// <summary>
    /// Waits before the next attempt (exponential backoff, capped, never past the deadline). Returns false when
    /// the deadline has passed and no attempt is left.
    /// </summary>
    public async Task<bool> BackoffAsync()
    {
        UserToken.ThrowIfCancellationRequested();
        if (Expired)
        {
            return false;
        }

        double factor = Math.Pow(2, Math.Min(Attempts - 1, 10));
        TimeSpan wait = TimeSpan.FromMilliseconds(Math.Min(_backoff.TotalMilliseconds * factor, _backoffMax.TotalMilliseconds));
        TimeSpan remaining = Remaining;
        if (wait >= remaining)
        {
            return false;
        }

        await Task.Delay(wait, UserToken).ConfigureAwait(false);
        return !Expired;
    }

    public void Dispose() => _limit.Dispose();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
