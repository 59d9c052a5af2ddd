namespace Samsa.Admin;

/// <summary>
/// The retry loop every admin operation shares: run an attempt over the pending items; a request that failed
/// as a whole for a transient reason (connection lost, broker not known yet, request timed out) leaves them all
/// pending; back off and go again until nothing is pending or the deadline passes. Items still pending at the
/// deadline get their last error. Errors that are not transient end the operation (thrown to the caller).
/// </summary>
internal static class AdminRetry
{
    /// <summary>
    /// Handles a per-item error from a controller request: NOT_CONTROLLER makes the controller be looked up
    /// again, and a transient error leaves the item pending for the next attempt (returns true).
    /// </summary>
    public static bool RetryControllerError<TKey, TResult>(AdminContext context, PendingItems<TKey, TResult> items, TKey key, ErrorCode error, string? message)
        where TKey : notnull
    {
        if (error == ErrorCode.NotController)
        {
            context.ControllerMoved();
        }

        if (!IsTransient(error))
        {
            return false;
        }

        items.Retry(key, error, message);
        return true;
    }

    public static async Task RunAsync<TKey, TResult>(
        AdminCall call,
        PendingItems<TKey, TResult> items,
        Func<List<TKey>, Task> attempt,
        Func<TKey, ErrorCode, string?, TResult> failed)
        where TKey : notnull
    {
        while (items.HasPending)
        {
            call.BeginAttempt();
            items.BeginAttempt();
            try
            {
                await attempt(items.Pending()).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (IsTransient(ex))
            {
                items.RetryAll(ex.Error, ex.Reason);
            }
            catch (OperationCanceledException) when (!call.UserToken.IsCancellationRequested)
            {
                items.RetryAll(ErrorCode.LocalTimedOut, $"{call.Operation} did not finish before its timeout.");
                break;
            }

            if (!items.HasPending || !await call.BackoffAsync().ConfigureAwait(false))
            {
                break;
            }
        }

        call.UserToken.ThrowIfCancellationRequested();
        items.FailPending(failed, ErrorCode.LocalTimedOut, $"{call.Operation} did not finish before its timeout.");
    }

    /// <summary>Whole-request failures worth another attempt.</summary>
    public static bool IsTransient(KafkaException ex) =>
        ex is not ProtocolException && (ex.IsRetriable || ex.Error is ErrorCode.BrokerNotAvailable or ErrorCode.LocalTransport);

    /// <summary>Per-item errors that another attempt (after a metadata or coordinator refresh) may fix.</summary>
    public static bool IsTransient(ErrorCode error) => error is
        ErrorCode.NotController or
        ErrorCode.NotCoordinator or
        ErrorCode.CoordinatorNotAvailable or
        ErrorCode.CoordinatorLoadInProgress or
        ErrorCode.NotLeaderOrFollower or
        ErrorCode.LeaderNotAvailable or
        ErrorCode.FencedLeaderEpoch or
        ErrorCode.UnknownLeaderEpoch or
        ErrorCode.OffsetNotAvailable or
        ErrorCode.UnstableOffsetCommit or
        ErrorCode.ThrottlingQuotaExceeded or
        ErrorCode.KafkaStorageError or
        ErrorCode.NetworkException;
}

/// <summary>Sends one request per destination (broker, coordinator) concurrently; a destination's failure affects only its items.</summary>
internal static class AdminFanOut
{
    public static async Task RunAsync<TDestination, TKey, TResult>(
        PendingItems<TKey, TResult> items,
        Dictionary<TDestination, List<TKey>> byDestination,
        Func<TDestination, List<TKey>, Task> send,
        Func<TKey, ErrorCode, string?, TResult> failed)
        where TDestination : notnull
        where TKey : notnull
    {
        var tasks = new List<Task>(byDestination.Count);
        foreach (var (destination, keys) in byDestination)
        {
            tasks.Add(SendOneAsync(items, destination, keys, send, failed));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task SendOneAsync<TDestination, TKey, TResult>(
        PendingItems<TKey, TResult> items,
        TDestination destination,
        List<TKey> keys,
        Func<TDestination, List<TKey>, Task> send,
        Func<TKey, ErrorCode, string?, TResult> failed)
        where TKey : notnull
    {
        try
        {
            await send(destination, keys).ConfigureAwait(false);
        }
        catch (KafkaException ex) when (AdminRetry.IsTransient(ex))
        {
            foreach (TKey key in keys)
            {
                items.Retry(key, ex.Error, ex.Reason);
            }
        }
        catch (KafkaException ex)
        {
            foreach (TKey key in keys)
            {
                items.Complete(key, failed(key, ex.Error, ex.Reason));
            }
        }
    }
}
