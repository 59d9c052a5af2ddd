using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Interop;

namespace Samsa.Native.Clients;

/// <summary>
/// The rebalance callback, kept on the application's thread. The managed consumer calls its handlers inside
/// the call the application made (poll, assign), except during close, where they may run on a pool thread
/// after an await; then the handler hands the callback to the closing thread (<see cref="PumpUntil"/>) and
/// waits for it, so the C callback still runs on the thread that called samsa_consumer_close().
/// </summary>
internal sealed unsafe partial class NativeConsumer
{
    private readonly delegate* unmanaged<SamsaConsumer*, int, SamsaTopicPartition*, nuint, void*, void> _rebalanceCallback;
    private readonly void* _rebalanceOpaque;
    private readonly ConcurrentQueue<Pending> _pending = new();
    private readonly ManualResetEventSlim _pendingSignal = new(false);
    private int _callerThread;
    private int _pumping;
    private int _callbackDepth;

    /// <summary>True while a C callback of this consumer runs (on the thread holding the lock).</summary>
    public bool InCallback => Volatile.Read(ref _callbackDepth) > 0;

    /// <summary>Marks the current thread as the one serving callbacks; returns the previous one (calls nest inside callbacks).</summary>
    private int Enter()
    {
        int previous = _callerThread;
        Volatile.Write(ref _callerThread, Environment.CurrentManagedThreadId);
        return previous;
    }

    private void Leave(int previous) => Volatile.Write(ref _callerThread, previous);

    private IEnumerable<TopicPartitionOffset>? OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        var withOffsets = new List<TopicPartitionOffset>(partitions.Count);
        foreach (TopicPartition tp in partitions)
        {
            withOffsets.Add(new TopicPartitionOffset(tp, Offset.Unset));
        }

        OnRebalance(Constants.SAMSA_REBALANCE_ASSIGNED, withOffsets);
        return null; // start from the committed offsets (else auto.offset.reset), unless the callback assigned
    }

    private void OnRebalance(int kind, IReadOnlyList<TopicPartitionOffset> partitions)
    {
        if (Environment.CurrentManagedThreadId == Volatile.Read(ref _callerThread) || Volatile.Read(ref _pumping) == 0)
        {
            InvokeRebalance(kind, partitions);
            return;
        }

        var pending = new Pending(kind, partitions);
        _pending.Enqueue(pending);
        _pendingSignal.Set();
        pending.Done.Wait();
        pending.Done.Dispose();
    }

    private void InvokeRebalance(int kind, IReadOnlyList<TopicPartitionOffset> partitions)
    {
        int count = partitions.Count;
        var array = (SamsaTopicPartition*)NativeMemory.AllocZeroed((nuint)Math.Max(count, 1), (nuint)sizeof(SamsaTopicPartition));
        try
        {
            for (int i = 0; i < count; i++)
            {
                TopicPartitionOffset p = partitions[i];
                array[i].Topic = Utf8.Allocate(p.Topic);
                array[i].Partition = p.Partition;
                array[i].Offset = p.Offset.Value;
            }

            Interlocked.Increment(ref _callbackDepth);
            try
            {
                _rebalanceCallback((SamsaConsumer*)Handle, kind, array, (nuint)count, _rebalanceOpaque);
            }
            finally
            {
                Interlocked.Decrement(ref _callbackDepth);
            }
        }
        finally
        {
            for (int i = 0; i < count; i++)
            {
                NativeMemory.Free(array[i].Topic);
            }

            NativeMemory.Free(array);
        }
    }

    /// <summary>Waits for <paramref name="work"/> on this thread, running the callbacks it hands over meanwhile.</summary>
    private void PumpUntil(Task work)
    {
        Volatile.Write(ref _pumping, 1);
        try
        {
            while (!work.IsCompleted)
            {
                RunPending();
                ServeLogs();
                _pendingSignal.Wait(20);
                _pendingSignal.Reset();
            }
        }
        finally
        {
            Volatile.Write(ref _pumping, 0);
            RunPending();
        }

        work.GetAwaiter().GetResult();
    }

    private void RunPending()
    {
        while (_pending.TryDequeue(out Pending? pending))
        {
            try
            {
                InvokeRebalance(pending.Kind, pending.Partitions);
            }
            finally
            {
                pending.Done.Set();
            }
        }
    }

    private sealed class Pending(int kind, IReadOnlyList<TopicPartitionOffset> partitions)
    {
        public int Kind { get; } = kind;

        public IReadOnlyList<TopicPartitionOffset> Partitions { get; } = partitions;

        public ManualResetEventSlim Done { get; } = new(false);
    }
}
