namespace Samsa.Admin;

/// <summary>
/// The items of one admin operation (topics, partitions, groups, resources) and how far each has got: finished
/// with a result, or still pending (with the last retriable error seen, reported if the deadline ends the
/// retries). Results come back in the order the items were given. Thread-safe: requests to several brokers
/// report into one instance concurrently.
/// </summary>
internal sealed class PendingItems<TKey, TResult>
    where TKey : notnull
{
    private readonly List<TKey> _order;
    private readonly Dictionary<TKey, TResult> _done;
    private readonly Dictionary<TKey, (ErrorCode Error, string? Message)> _lastError;
    private readonly HashSet<TKey> _pending;
    private readonly HashSet<TKey> _retried;
    private readonly Lock _lock = new();

    public PendingItems(IEnumerable<TKey> keys, IEqualityComparer<TKey>? comparer = null)
    {
        _order = [];
        _done = new Dictionary<TKey, TResult>(comparer);
        _lastError = new Dictionary<TKey, (ErrorCode, string?)>(comparer);
        _pending = new HashSet<TKey>(comparer);
        _retried = new HashSet<TKey>(comparer);
        foreach (TKey key in keys)
        {
            if (!_pending.Add(key))
            {
                throw new ArgumentException($"'{key}' is given more than once.", nameof(keys));
            }

            _order.Add(key);
        }
    }

    public int Count => _order.Count;

    public bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>A copy of the pending keys, in request order.</summary>
    public List<TKey> Pending()
    {
        lock (_lock)
        {
            var list = new List<TKey>(_pending.Count);
            foreach (TKey key in _order)
            {
                if (_pending.Contains(key))
                {
                    list.Add(key);
                }
            }

            return list;
        }
    }

    public bool IsPending(TKey key)
    {
        lock (_lock)
        {
            return _pending.Contains(key);
        }
    }

    /// <summary>Starts an attempt: forgets which items the previous attempt left for retry.</summary>
    public void BeginAttempt()
    {
        lock (_lock)
        {
            _retried.Clear();
        }
    }

    /// <summary>True when the current attempt left the item for another one.</summary>
    public bool WasRetried(TKey key)
    {
        lock (_lock)
        {
            return _retried.Contains(key);
        }
    }

    /// <summary>Records the final result of an item (ignored when the item is already finished).</summary>
    public void Complete(TKey key, TResult result)
    {
        lock (_lock)
        {
            if (_pending.Remove(key))
            {
                _done[key] = result;
            }
        }
    }

    /// <summary>Leaves an item pending for another attempt, remembering why.</summary>
    public void Retry(TKey key, ErrorCode error, string? message)
    {
        lock (_lock)
        {
            if (_pending.Contains(key))
            {
                _lastError[key] = (error, message);
                _retried.Add(key);
            }
        }
    }

    /// <summary>Leaves every pending item for another attempt (the whole request failed).</summary>
    public void RetryAll(ErrorCode error, string? message)
    {
        lock (_lock)
        {
            foreach (TKey key in _pending)
            {
                _lastError[key] = (error, message);
                _retried.Add(key);
            }
        }
    }

    /// <summary>Finishes every pending item with a result made from its last error (or <paramref name="fallback"/>).</summary>
    public void FailPending(Func<TKey, ErrorCode, string?, TResult> make, ErrorCode fallback, string fallbackMessage)
    {
        foreach (TKey key in Pending())
        {
            (ErrorCode Error, string? Message) last;
            lock (_lock)
            {
                last = _lastError.TryGetValue(key, out var known) ? known : (fallback, fallbackMessage);
            }

            Complete(key, make(key, last.Error, last.Message));
        }
    }

    /// <summary>Every result, in request order. Call after every item is finished.</summary>
    public IReadOnlyList<TResult> Results()
    {
        lock (_lock)
        {
            var results = new TResult[_order.Count];
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = _done.TryGetValue(_order[i], out TResult? r)
                    ? r
                    : throw new InvalidOperationException($"'{_order[i]}' has no result.");
            }

            return results;
        }
    }

    /// <summary>Finishes, with an error, each item of <paramref name="sent"/> the response neither answered nor left for retry.</summary>
    public void CompleteUnanswered(List<TKey> sent, string api, Func<TKey, ErrorCode, string?, TResult> make)
    {
        foreach (TKey key in sent)
        {
            if (IsPending(key) && !WasRetried(key))
            {
                Complete(key, make(key, ErrorCode.UnknownServerError, $"The {api} response has no result for '{key}'."));
            }
        }
    }
}
