using System.Buffers;

namespace Samsa.Buffers;

/// <summary>
/// An <see cref="ArrayPool{T}"/> for the consumer's big decompressed batches that keeps only a few of them
/// (response frames themselves live in native memory: <see cref="NativeBuffer"/>). <see cref="ArrayPool{T}.Shared"/> caches returned arrays per thread and per
/// core in every power-of-two size, so a consumer that once held tens of megabytes of frames keeps them for the
/// life of the process; here at most <see cref="MaxRetainedArrays"/> arrays and <see cref="MaxRetainedBytes"/>
/// bytes stay cached, the rest is left to the GC. Arrays below <see cref="Threshold"/> go to and come from
/// <see cref="ArrayPool{T}.Shared"/>, so any array from either pool may be returned here.
/// </summary>
internal sealed class LargeArrayPool : ArrayPool<byte>
{
    /// <summary>Arrays at least this long are managed here; shorter ones by <see cref="ArrayPool{T}.Shared"/>.</summary>
    public const int Threshold = 128 * 1024;

    public const int MaxRetainedArrays = 4;

    public const long MaxRetainedBytes = 4L * 1024 * 1024;

    // Sizes are rounded up to this step (not to a power of two, which would waste up to half of each frame).
    private const int Granularity = 64 * 1024;

    private readonly byte[]?[] _retained = new byte[]?[MaxRetainedArrays];
    private readonly Lock _lock = new();
    private long _retainedBytes;
    private int _largestRequest;

    public static LargeArrayPool Instance { get; } = new();

    /// <summary>Bytes currently cached (for tests).</summary>
    public long RetainedBytes
    {
        get
        {
            lock (_lock)
            {
                return _retainedBytes;
            }
        }
    }

    public override byte[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (minimumLength < Threshold)
        {
            return Shared.Rent(minimumLength);
        }

        int size;
        lock (_lock)
        {
            // New arrays are made as large as the largest request that could be cached, so that every cached
            // array serves any later request (fetch responses vary in size below the requested maximum).
            if (minimumLength <= MaxRetainedBytes && minimumLength > _largestRequest)
            {
                _largestRequest = minimumLength;
            }

            // ... but never more than twice the request (as a power-of-two pool might waste at most).
            size = _largestRequest <= 2L * minimumLength ? Math.Max(minimumLength, _largestRequest) : minimumLength;

            // Best fit: the smallest cached array that holds the request.
            int best = -1;
            for (int i = 0; i < _retained.Length; i++)
            {
                byte[]? candidate = _retained[i];
                if (candidate is not null && candidate.Length >= minimumLength && (best < 0 || candidate.Length < _retained[best]!.Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                byte[] array = _retained[best]!;
                _retained[best] = null;
                _retainedBytes -= array.Length;
                return array;
            }
        }

        long rounded = ((long)size + Granularity - 1) / Granularity * Granularity;
        return GC.AllocateUninitializedArray<byte>((int)Math.Min(rounded, Array.MaxLength));
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length < Threshold)
        {
            Shared.Return(array, clearArray);
            return;
        }

        if (array.Length > MaxRetainedBytes)
        {
            return;
        }

        if (clearArray)
        {
            Array.Clear(array);
        }

        lock (_lock)
        {
            // Keep it if it fits; otherwise let it replace the smallest cached array when it is larger (a bigger
            // array serves more requests), else drop it.
            int free = -1;
            int smallest = -1;
            for (int i = 0; i < _retained.Length; i++)
            {
                byte[]? held = _retained[i];
                if (held is null)
                {
                    free = free < 0 ? i : free;
                }
                else if (smallest < 0 || held.Length < _retained[smallest]!.Length)
                {
                    smallest = i;
                }
            }

            if (free >= 0 && _retainedBytes + array.Length <= MaxRetainedBytes)
            {
                _retained[free] = array;
                _retainedBytes += array.Length;
                return;
            }

            if (smallest >= 0)
            {
                byte[] victim = _retained[smallest]!;
                if (victim.Length < array.Length && _retainedBytes - victim.Length + array.Length <= MaxRetainedBytes)
                {
                    _retained[smallest] = array;
                    _retainedBytes += array.Length - victim.Length;
                }
            }
        }
    }
}
