namespace Samsa.Groups;

/// <summary>
/// The events waiting for the consumer and the ones it took but has not acknowledged, and the assignment as
/// the consumer last acknowledged it. Thread-safe: the membership enqueues from its background loop, the
/// consumer takes and acknowledges from its poll thread.
/// </summary>
internal sealed class GroupEventQueue
{
    private readonly Lock _lock = new();
    private readonly Queue<GroupEvent> _queue = new();
    private readonly HashSet<GroupEvent> _unacknowledged = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<TopicPartition> _assignment = [];
    private readonly Action _onAcknowledged;
    private TaskCompletionSource _available = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<TopicPartition> _assignmentSnapshot = [];

    public GroupEventQueue(Action onAcknowledged)
    {
        _onAcknowledged = onAcknowledged;
    }

    /// <summary>The partitions the consumer has acknowledged as assigned (and not since revoked or lost).</summary>
    public IReadOnlyList<TopicPartition> Assignment
    {
        get
        {
            lock (_lock)
            {
                return _assignmentSnapshot;
            }
        }
    }

    /// <summary>True while an event that needs an acknowledgment (any but Error) is queued or taken and not acknowledged.</summary>
    public bool AwaitingAcknowledgment
    {
        get
        {
            lock (_lock)
            {
                return _unacknowledged.Count > 0;
            }
        }
    }

    /// <summary>True while an event of <paramref name="kind"/> waits for its acknowledgment.</summary>
    public bool IsAwaiting(GroupEventKind kind)
    {
        lock (_lock)
        {
            foreach (GroupEvent e in _unacknowledged)
            {
                if (e.Kind == kind)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public void Enqueue(GroupEvent groupEvent)
    {
        TaskCompletionSource available;
        lock (_lock)
        {
            _queue.Enqueue(groupEvent);
            if (groupEvent.Kind != GroupEventKind.Error)
            {
                _unacknowledged.Add(groupEvent);
            }

            available = _available;
        }

        available.TrySetResult();
    }

    public bool TryDequeue(out GroupEvent groupEvent)
    {
        lock (_lock)
        {
            if (_queue.TryDequeue(out GroupEvent? e))
            {
                groupEvent = e;
                return true;
            }
        }

        groupEvent = null!;
        return false;
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_lock)
        {
            if (_queue.Count > 0)
            {
                return Task.CompletedTask;
            }

            if (_available.Task.IsCompleted)
            {
                _available = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            task = _available.Task;
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Applies an acknowledged event to <see cref="Assignment"/>; a second acknowledgment does nothing.</summary>
    public void Acknowledge(GroupEvent groupEvent)
    {
        ArgumentNullException.ThrowIfNull(groupEvent);
        lock (_lock)
        {
            if (!_unacknowledged.Remove(groupEvent))
            {
                return;
            }

            switch (groupEvent.Kind)
            {
                case GroupEventKind.Assigned:
                    _assignment.UnionWith(groupEvent.Partitions);
                    break;
                case GroupEventKind.Revoked:
                case GroupEventKind.Lost:
                    _assignment.ExceptWith(groupEvent.Partitions);
                    break;
            }

            _assignmentSnapshot = [.. _assignment];
        }

        _onAcknowledged();
    }

    /// <summary>Forgets queued events (the membership is closing); the acknowledged assignment stays.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _queue.Clear();
            _unacknowledged.Clear();
        }
    }
}
