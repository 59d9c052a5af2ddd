namespace Samsa.Groups;

/// <summary>
/// Wakes a background loop: <see cref="Set"/> from any thread; <see cref="WaitAsync"/> returns when set (and
/// resets) or after the timeout. A set that comes while nobody waits is kept for the next wait.
/// </summary>
internal sealed class WakeSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _set;

    public void Set()
    {
        TaskCompletionSource toComplete;
        lock (_lock)
        {
            _set = true;
            toComplete = _next;
        }

        toComplete.TrySetResult();
    }

    /// <summary>Waits for a set or the timeout (infinite when negative); true when it was set.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task task;
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return true;
            }

            if (_next.Task.IsCompleted)
            {
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            task = _next.Task;
        }

        if (timeout == TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await task.WaitAsync(timeout < TimeSpan.Zero ? Timeout.InfiniteTimeSpan : timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }

        lock (_lock)
        {
            _set = false;
        }

        return true;
    }
}
