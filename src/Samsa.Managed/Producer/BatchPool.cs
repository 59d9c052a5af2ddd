using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Samsa.Producer;

/// <summary>Reuses batches (and their rented buffers) so that steady-state producing allocates none.</summary>
internal sealed class BatchPool : IDisposable
{
    private readonly ConcurrentBag<ProducerBatch> _free = [];
    private readonly int _maxPooled;
    private int _pooled;

    public BatchPool(int maxPooled)
    {
        _maxPooled = maxPooled;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ProducerBatch Rent()
    {
        if (_free.TryTake(out ProducerBatch? batch))
        {
            Interlocked.Decrement(ref _pooled);
            return batch;
        }

        return new ProducerBatch();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Return(ProducerBatch batch)
    {
        batch.Reset();
        if (Interlocked.Increment(ref _pooled) <= _maxPooled)
        {
            _free.Add(batch);
            return;
        }

        Interlocked.Decrement(ref _pooled);
        batch.Dispose();
    }

    public void Dispose()
    {
        while (_free.TryTake(out ProducerBatch? batch))
        {
            batch.Dispose();
        }
    }
}
