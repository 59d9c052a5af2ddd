using System.Buffers;
using Samsa.Diagnostics;

namespace Samsa.Network;

/// <summary>
/// KIP-368 re-authentication: when the broker grants a SASL session of limited lifetime, the connection runs the
/// SASL exchange again at 85-95% of it. It happens between requests: new requests are held back, the ones in
/// flight are answered, the exchange runs, then the held requests go out in order. A failure closes the
/// connection with the authentication error.
/// </summary>
internal sealed partial class KafkaConnection
{
    private List<HeldFrame>? _held;
    private TaskCompletionSource? _drained;
    private ITimer? _reauthenticationTimer;
    private int _reauthentications;

    /// <summary>How many times this connection re-authenticated.</summary>
    public int Reauthentications => Volatile.Read(ref _reauthentications);

    private async ValueTask AuthenticateAsync(CancellationToken cancellationToken)
    {
        TimeSpan? lifetime = await _options.Authenticator!.AuthenticateAsync(this, cancellationToken).ConfigureAwait(false);
        SessionLifetime = lifetime;
        AuthenticatedAt = Environment.TickCount64;
        ScheduleReauthentication(lifetime);
    }

    /// <summary>The SASL session lifetime the broker granted (KIP-368), if any.</summary>
    public TimeSpan? SessionLifetime { get; private set; }

    /// <summary>Environment.TickCount64 of the last successful authentication.</summary>
    public long AuthenticatedAt { get; private set; }

    private static readonly TimeSpan ReauthenticationLeeway = TimeSpan.FromSeconds(1);

    private void ScheduleReauthentication(TimeSpan? lifetime)
    {
        if (lifetime is not { } life)
        {
            return;
        }

        // Like the Java client: somewhere in 85-95% of the lifetime, so that connections do not re-authenticate in step;
        // but for short sessions no later than a second before the end (a token call and a SCRAM exchange on a busy
        // machine can take longer than 5% of a few seconds), and never before half of it.
        TimeSpan due = life * (0.85 + (Random.Shared.NextDouble() * 0.10));
        due = TimeSpan.FromTicks(Math.Max(Math.Min(due.Ticks, (life - ReauthenticationLeeway).Ticks), life.Ticks / 2));
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _reauthenticationTimer?.Dispose();
            _reauthenticationTimer = TimeProvider.System.CreateTimer(
                static s => _ = ((KafkaConnection)s!).ReauthenticateAsync(), this, due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ReauthenticateAsync()
    {
        Task drained;
        lock (_lock)
        {
            if (_closed || _held is not null)
            {
                return;
            }

            _held = [];
            if (_pending.Count == 0)
            {
                drained = Task.CompletedTask;
            }
            else
            {
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
            timeout.CancelAfter(_options.RequestTimeout + _options.ConnectTimeout);
            await drained.WaitAsync(timeout.Token).ConfigureAwait(false);
            TimeSpan? lifetime = await _options.Authenticator!.AuthenticateAsync(this, timeout.Token).ConfigureAwait(false);
            SessionLifetime = lifetime;
            AuthenticatedAt = Environment.TickCount64;
            Interlocked.Increment(ref _reauthentications);
            SamsaLog.Reauthenticated(_options.Logger, Name, (long)(lifetime ?? TimeSpan.Zero).TotalMilliseconds);
            ReleaseHeld();
            ScheduleReauthentication(lifetime);
        }
        catch (Exception ex)
        {
            KafkaException error = ex switch
            {
                KafkaException k when k.Error is ErrorCode.SaslAuthenticationFailed or ErrorCode.LocalAuthentication
                    or ErrorCode.UnsupportedSaslMechanism or ErrorCode.IllegalSaslState => k,
                OperationCanceledException when _shutdown.IsCancellationRequested =>
                    new KafkaException(ErrorCode.LocalDestroy, $"Connection to {Name} closed while re-authenticating."),
                OperationCanceledException => new KafkaException(ErrorCode.LocalAuthentication,
                    $"Re-authenticating with {Name} timed out (KIP-368); the connection was closed.", ex),
                _ => new KafkaException(ErrorCode.LocalAuthentication, $"Re-authenticating with {Name} failed: {ex.Message}", ex),
            };
            SamsaLog.ReauthenticationFailed(_options.Logger, Name, error.Message);
            Close(error);
        }
    }

    /// <summary>Sends what was held back during the exchange, in order, and lets new requests through again.</summary>
    private void ReleaseHeld()
    {
        lock (_lock)
        {
            List<HeldFrame>? held = _held;
            _held = null;
            if (held is null || _closed)
            {
                return;
            }

            foreach (HeldFrame h in held)
            {
                if (!WriteLocked(h.Frame, h.Pending))
                {
                    ArrayPool<byte>.Shared.Return(h.Frame.Buffer);
                }
            }
        }
    }

    /// <summary>Called under the lock when a response was dequeued: wakes a re-authentication waiting for the last one.</summary>
    private void SignalIfDrainedLocked()
    {
        if (_drained is not null && _pending.Count == 0)
        {
            _drained.TrySetResult();
            _drained = null;
        }
    }

    /// <summary>Called by Close: fails what was held back and stops the timer.</summary>
    private List<HeldFrame>? TakeHeldLocked()
    {
        _reauthenticationTimer?.Dispose();
        _reauthenticationTimer = null;
        _drained?.TrySetCanceled();
        _drained = null;
        List<HeldFrame>? held = _held;
        _held = null;
        return held;
    }

    private readonly record struct HeldFrame(OutgoingFrame Frame, PendingRequest? Pending);
}
