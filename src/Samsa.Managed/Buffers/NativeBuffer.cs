using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Samsa.Buffers;

/// <summary>
/// A block of memory outside the GC heap for large response frames (Fetch responses, ~1 MB each), freed as soon
/// as it is disposed (or cached for the next frame). A managed array of that size lands on the large-object heap, where a dropped one stays
/// until the next gen2 collection: a consumer reading at full speed piled up tens of megabytes of dead frames.
/// On Linux the block is its own anonymous mapping (mmap, unmapped on dispose): glibc's malloc would serve such
/// sizes from its arenas once its dynamic mmap threshold has grown, and keep freed frames resident. Elsewhere it
/// comes from <see cref="NativeMemory.Alloc(nuint)"/> (Windows' heap and macOS' malloc map blocks this large
/// separately and give them back on free). A few freed blocks are kept for reuse (<see cref="NativeFramePool"/>).
/// </summary>
internal sealed unsafe partial class NativeBuffer : MemoryManager<byte>
{
    private static int s_mmapUnavailable = OperatingSystem.IsLinux() ? 0 : 1;

    private readonly int _length;
    private readonly int _capacity;
    private readonly bool _mapped;
    private nint _pointer;

    private NativeBuffer(nint pointer, int length, int capacity, bool mapped)
    {
        _pointer = pointer;
        _length = length;
        _capacity = capacity;
        _mapped = mapped;
    }

    /// <summary>Bytes of all blocks allocated and not given back, cached ones included (for tests and diagnostics).</summary>
    public static long LiveBytes => Interlocked.Read(ref s_liveBytes);

    private static long s_liveBytes;

    public int Length => _length;

    /// <summary>The block's address; throws once the buffer is freed.</summary>
    public byte* Pointer
    {
        get
        {
            nint p = Volatile.Read(ref _pointer);
            return p != 0 ? (byte*)p : throw new ObjectDisposedException(nameof(NativeBuffer), "The frame's memory was already released.");
        }
    }

    /// <summary>The block's address (for tests and diagnostics); throws once the buffer is freed.</summary>
    internal nint Address => (nint)Pointer;

    /// <summary>A block of at least <paramref name="length"/> bytes (contents undefined): a cached one if it fits.</summary>
    public static NativeBuffer Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (NativeFramePool.TryTake(length, out nint cached, out int cachedCapacity, out bool cachedMapped, out int capacity))
        {
            return new NativeBuffer(cached, length, cachedCapacity, cachedMapped);
        }

        // No cached block was large enough: they are all smaller than the frames now coming, so they go (see TryTake).
        while (NativeFramePool.TryEvict(out nint small, out int smallCapacity, out bool smallMapped))
        {
            Free(small, smallCapacity, smallMapped);
        }

        Interlocked.Add(ref s_liveBytes, capacity);
        if (Volatile.Read(ref s_mmapUnavailable) == 0)
        {
            nint p = TryMap(capacity);
            if (p != 0)
            {
                return new NativeBuffer(p, length, capacity, mapped: true);
            }
        }

        return new NativeBuffer((nint)NativeMemory.Alloc((nuint)capacity), length, capacity, mapped: false);
    }

    /// <summary>
    /// Frees cached blocks that went unused for <see cref="NativeFramePool.IdleMilliseconds"/>, or that the cache
    /// holds beyond its limit once a consumer is gone. Cheap when there is nothing to free: the fetch loops call it
    /// every round.
    /// </summary>
    public static void TrimCache() => TrimCache(Environment.TickCount64);

    internal static void TrimCache(long now)
    {
        while (NativeFramePool.TryEvictStale(now, out nint p, out int capacity, out bool mapped))
        {
            Free(p, capacity, mapped);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Span<byte> GetSpan() => new(Pointer, _length);

    /// <summary>Nothing moves: pinning only hands out the address (valid until the buffer is disposed).</summary>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(Pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        nint p = Interlocked.Exchange(ref _pointer, 0);
        if (p == 0)
        {
            return;
        }

        if (!NativeFramePool.TryKeep(p, _capacity, _mapped, Interlocked.Read(ref s_liveBytes)))
        {
            Free(p, _capacity, _mapped);
        }
    }

    private static void Free(nint p, int capacity, bool mapped)
    {
        Interlocked.Add(ref s_liveBytes, -capacity);
        if (mapped)
        {
            _ = Unmap(p, (nuint)capacity);
        }
        else
        {
            NativeMemory.Free((void*)p);
        }
    }

    private static nint TryMap(int length)
    {
        const int ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymous = 0x20;
        try
        {
            // No MAP_POPULATE: the socket read faults the pages in as it fills them, and a frame smaller than its
            // block (never the case today) would not pay for pages it does not use.
            nint p = Map(0, (nuint)length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            return p == -1 ? 0 : p; // MAP_FAILED: fall back to the allocator
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref s_mmapUnavailable, 1);
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Map(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Unmap(nint address, nuint length);
}
