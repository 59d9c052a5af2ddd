namespace Samsa.Consumer;

/// <summary>
/// An auto-reset event that can be awaited: <see cref="Set"/> wakes the current waiters and leaves the event
/// set for the next wait. Waiters must tolerate spurious wake-ups. The signalled fast path allocates nothing.
/// </summary>
internal sealed class AsyncSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiters;
    private bool _signaled;

    public void Set()
    {
        TaskCompletionSource? waiters;
        lock (_lock)
        {
            // The flag stays set even when a waiter is woken: a waiter that timed out must not swallow the
            // signal. The cost is at most one spurious wake-up, which every caller tolerates (it re-checks).
            waiters = _waiters;
            _waiters = null;
            _signaled = true;
        }

        waiters?.TrySetResult();
    }

    /// <summary>Completes at once when signalled since the last wait, else at the next <see cref="Set"/>.</summary>
    public Task WaitAsync()
    {
        lock (_lock)
        {
            if (_signaled)
            {
                _signaled = false;
                return Task.CompletedTask;
            }

            return (_waiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Waits for a signal up to <paramref name="timeout"/>; false on timeout. Throws when cancelled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task wait = WaitAsync();
        if (wait.IsCompleted)
        {
            return true;
        }

        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task delay = Task.Delay(timeout, delayCancel.Token);
        Task first = await Task.WhenAny(wait, delay).ConfigureAwait(false);
        await delayCancel.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == wait;
    }
}
