using System.Collections.Concurrent;
using Samsa.Consumer;
using Samsa.Groups;

namespace Samsa.Tests.Consumer;

/// <summary>A scripted <see cref="IGroupMembership"/>: the test queues group events and sees what the consumer did.</summary>
internal sealed class FakeMembership : IGroupMembership
{
    private readonly ConcurrentQueue<GroupEvent> _pending = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _polls;

    public FakeMembership(MembershipContext context)
    {
        Context = context;
    }

    public MembershipContext Context { get; }

    public string GroupId => Context.Config.GroupId!;

    public string MemberId => "member-1";

    public int GenerationId => 7;

    public IReadOnlyList<TopicPartition> Assignment => [];

    public int Polls => Volatile.Read(ref _polls);

    public ConcurrentQueue<int> PollThreads { get; } = new();

    public List<IReadOnlyList<string>> Subscriptions { get; } = [];

    public int Unsubscribes { get; private set; }

    public ConcurrentQueue<GroupEvent> Acknowledged { get; } = new();

    public ConcurrentQueue<IReadOnlyList<TopicPartitionOffset>> Commits { get; } = new();

    public ConcurrentDictionary<TopicPartition, long> Stored { get; } = new();

    public bool Left { get; private set; }

    public bool Disposed { get; private set; }

    public void Enqueue(GroupEvent groupEvent)
    {
        _pending.Enqueue(groupEvent);
        TaskCompletionSource waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        waiter.TrySetResult();
    }

    public void Subscribe(IReadOnlyList<string> topics) => Subscriptions.Add(topics);

    public void Unsubscribe() => Unsubscribes++;

    public bool TryTakeEvent(out GroupEvent groupEvent)
    {
        Interlocked.Increment(ref _polls);
        PollThreads.Enqueue(Environment.CurrentManagedThreadId);
        return _pending.TryDequeue(out groupEvent!);
    }

    public Task WaitForEventAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _pending.IsEmpty ? _waiter.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
        }
    }

    public void Acknowledge(GroupEvent groupEvent) => Acknowledged.Enqueue(groupEvent);

    public ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        Commits.Enqueue([.. offsets]);
        foreach (TopicPartitionOffset o in offsets)
        {
            Stored[o.TopicPartition] = o.Offset.Value;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<TopicPartitionOffset>> FetchCommittedAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var list = new List<TopicPartitionOffset>();
        foreach (TopicPartition tp in partitions)
        {
            list.Add(new TopicPartitionOffset(tp, Stored.TryGetValue(tp, out long o) ? o : Offset.Unset));
        }

        return ValueTask.FromResult<IReadOnlyList<TopicPartitionOffset>>(list);
    }

    public ValueTask LeaveAsync(CancellationToken cancellationToken)
    {
        Left = true;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
