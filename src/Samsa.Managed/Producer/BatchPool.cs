using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Samsa.Producer;

/// <summary>
/// Reuses batches (and their rented buffers) so that steady-state producing allocates none, while keeping what it
/// holds bounded in bytes: a free batch is worth its buffers' capacity, not one unit.
/// </summary>
/// <remarks>
/// Three limits, so that a past backlog does not stay resident (a count cap alone let 1,024 grown batches,
/// up to a GiB with batch.size 1 MB, stay forever):
/// <list type="bullet">
/// <item>Byte cap (<see cref="CapBytes"/>): the free batches together hold at most 1/16 of
/// queue.buffering.max.kbytes, at least 256 KiB, at most 32 MiB (the Java client's whole buffer.memory default).
/// A batch coming back when the pool is full is disposed (its arrays go back to ArrayPool.Shared).</item>
/// <item>Oversize batches (<see cref="MaxBatchCapacity"/>): a batch whose record or compressed buffer grew past
/// what a batch.size batch needs (a single record larger than batch.size is always sent alone) is not kept.</item>
/// <item>Idle release (<see cref="Trim"/>, called by the send loop): batches that sat in the pool through a
/// whole interval, i.e. the smallest number of free batches seen during it, were not needed and are disposed.
/// Demand that comes back recreates them; steady demand never reaches them.</item>
/// </list>
/// </remarks>
internal sealed class BatchPool : IDisposable
{
    /// <summary>How long a free batch may go unused before <see cref="Trim"/> releases it.</summary>
    public static readonly TimeSpan DefaultIdleRelease = TimeSpan.FromSeconds(30);

    private const long MinCapBytes = 256 * 1024;
    private const long MaxCapBytes = 32L * 1024 * 1024;
    private const int InitialBatchCapacity = 16 * 1024;

    // A batch's buffer may grow once past a power-of-two batch.size: the writer asks for at least 256 bytes more.
    private const int GrowthSlack = 256;

    private readonly ConcurrentBag<ProducerBatch> _free = [];
    private readonly long _idleReleaseMs;
    private int _pooled;
    private long _pooledBytes;
    private int _lowWater;
    private long _nextTrim;

    public BatchPool(long capBytes, int maxBatchCapacity, TimeSpan idleRelease)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchCapacity);
        CapBytes = capBytes;
        MaxBatchCapacity = maxBatchCapacity;
        _idleReleaseMs = Math.Max(1, (long)idleRelease.TotalMilliseconds);
        _nextTrim = Environment.TickCount64 + _idleReleaseMs;
    }

    /// <summary>The pool for a producer's settings (see the remarks for the rule).</summary>
    public static BatchPool For(ProducerSettings settings) =>
        new(CapFor(settings.QueueMaxBytes), BatchCapacityFor(Math.Min(settings.BatchSize, settings.MessageMaxBytes)), DefaultIdleRelease);

    /// <summary>1/16 of queue.buffering.max.kbytes, clamped to 256 KiB .. 32 MiB.</summary>
    public static long CapFor(long queueMaxBytes) => Math.Clamp(queueMaxBytes / 16, MinCapBytes, MaxCapBytes);

    /// <summary>The largest buffer a batch of at most <paramref name="maxBatchBytes"/> grows to (ArrayPool sizes are powers of two).</summary>
    public static int BatchCapacityFor(int maxBatchBytes)
    {
        long needed = Math.Max((long)maxBatchBytes + GrowthSlack, InitialBatchCapacity);
        return needed >= 1L << 30 ? int.MaxValue : (int)BitOperations.RoundUpToPowerOf2((uint)needed);
    }

    /// <summary>Most bytes (buffer capacities) the free batches may hold together.</summary>
    public long CapBytes { get; }

    /// <summary>Largest record or compressed buffer a batch may have and still be kept.</summary>
    public int MaxBatchCapacity { get; }

    /// <summary>Free batches held now.</summary>
    public int Count => Volatile.Read(ref _pooled);

    /// <summary>Bytes the free batches hold now (their buffers' capacities).</summary>
    public long PooledBytes => Interlocked.Read(ref _pooledBytes);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ProducerBatch Rent()
    {
        if (_free.TryTake(out ProducerBatch? batch))
        {
            Interlocked.Add(ref _pooledBytes, -batch.RetainedBytes);
            int left = Interlocked.Decrement(ref _pooled);

            // Racy on purpose: an approximate low-water mark only decides how many batches Trim releases.
            if (left < _lowWater)
            {
                _lowWater = left;
            }

            return batch;
        }

        return new ProducerBatch();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Return(ProducerBatch batch)
    {
        batch.Reset();
        if (batch.LargestBufferCapacity > MaxBatchCapacity)
        {
            batch.Dispose();
            return;
        }

        long bytes = batch.RetainedBytes;
        if (Interlocked.Add(ref _pooledBytes, bytes) > CapBytes)
        {
            Interlocked.Add(ref _pooledBytes, -bytes);
            batch.Dispose();
            return;
        }

        // Counted before it can be taken, so that a concurrent Rent never sees the count below zero.
        Interlocked.Increment(ref _pooled);
        _free.Add(batch);
    }

    /// <summary>
    /// Releases the batches that no Rent needed since the last trim, once per idle-release interval; cheap to
    /// call often (the send loop calls it every pass). Returns how many batches were released.
    /// </summary>
    public int Trim(long now)
    {
        if (now < Volatile.Read(ref _nextTrim))
        {
            return 0;
        }

        Volatile.Write(ref _nextTrim, now + _idleReleaseMs);
        int idle = Math.Min(_lowWater, Count);
        int released = 0;
        while (released < idle && _free.TryTake(out ProducerBatch? batch))
        {
            Interlocked.Add(ref _pooledBytes, -batch.RetainedBytes);
            Interlocked.Decrement(ref _pooled);
            batch.Dispose();
            released++;
        }

        _lowWater = Count;
        return released;
    }

    public void Dispose()
    {
        while (_free.TryTake(out ProducerBatch? batch))
        {
            Interlocked.Add(ref _pooledBytes, -batch.RetainedBytes);
            Interlocked.Decrement(ref _pooled);
            batch.Dispose();
        }
    }
}
