using System.Globalization;
using System.Reflection;

namespace Samsa.Soak;

/// <summary>
/// What the process holds at one moment: resident memory split the way the kernel counts it (/proc/self/status),
/// open file descriptors, threads, and what the GC says about its heap after the last collection, so that a
/// rising RSS can be told apart: managed objects (heap), GC memory committed but not in use (committed − heap),
/// or memory outside the GC (RssAnon − committed: native allocations, thread stacks, runtime data); RssShmem is
/// mostly the JIT's code (the runtime maps executable memory twice through a memfd, W^X), which grows with
/// the number of methods compiled (jit: tier-0, tier-1 and OSR compilations so far). m-use / m-free: glibc's
/// malloc in live allocations and free-but-kept in its arenas (<see cref="NativeHeap"/>).
/// </summary>
internal readonly record struct ResourceSample(
    long RssKiB, long HwmKiB, long AnonKiB, long FileKiB, long ShmemKiB, int Fds, int Threads,
    long HeapBytes, long CommittedBytes, long FragmentedBytes,
    long Gen0Bytes, long Gen1Bytes, long Gen2Bytes, long LohBytes, long PohBytes,
    long AllocatedBytes, int Gen0Count, int Gen1Count, int Gen2Count, long PoolBytes, long JitMethods,
    long MallocInUse, long MallocFree)
{
    // The client's own big-buffer pool is internal; the soak only reads how much it holds.
    private static readonly PropertyInfo? s_poolRetained = LargePoolRetained();

    public static ResourceSample Take()
    {
        long rss = 0, hwm = 0, anon = 0, file = 0, shmem = 0;
        int threads = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = KiB(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = KiB(line);
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                file = KiB(line);
            }
            else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
            {
                shmem = KiB(line);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
        }

        int fds = Directory.GetFiles("/proc/self/fd").Length;
        GCMemoryInfo gc = GC.GetGCMemoryInfo(GCKind.Any);
        ReadOnlySpan<GCGenerationInfo> gens = gc.GenerationInfo;
        (long mallocInUse, long mallocFree) = NativeHeap.Read();
        long pool = s_poolRetained?.GetValue(s_poolRetained.DeclaringType!.GetProperty("Instance")!.GetValue(null)) is long p ? p : -1;
        return new ResourceSample(rss, hwm, anon, file, shmem, fds, threads,
            gc.HeapSizeBytes, gc.TotalCommittedBytes, gc.FragmentedBytes,
            gens[0].SizeAfterBytes, gens[1].SizeAfterBytes, gens[2].SizeAfterBytes, gens[3].SizeAfterBytes, gens[4].SizeAfterBytes,
            GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), pool,
            System.Runtime.JitInfo.GetCompiledMethodCount(), mallocInUse, mallocFree);
    }

    private static long KiB(string line)
    {
        ReadOnlySpan<char> value = line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim();
        return long.Parse(value.TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
    }

    private static PropertyInfo? LargePoolRetained() =>
        typeof(Producer<,>).Assembly.GetType("Samsa.Buffers.LargeArrayPool")?.GetProperty("RetainedBytes");

    public static string Header =>
        "  min |   rss    hwm   anon  file shmem | m-use m-free | fds thr |  heap commit  frag |   g0   g1   g2  loh  poh | pool |  jit | alloc/min  gc0/1/2 per min";

    private static double MiB(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>One table row; allocation and GC counts are given as the change since <paramref name="previous"/>.</summary>
    public string Row(string label, ResourceSample previous) => string.Create(CultureInfo.InvariantCulture,
        $"{label,5} | {RssKiB / 1024.0,5:F1} {HwmKiB / 1024.0,6:F1} {AnonKiB / 1024.0,6:F1} {FileKiB / 1024.0,5:F1} {ShmemKiB / 1024.0,5:F1} | {MiB(MallocInUse),5:F1} {MiB(MallocFree),6:F1} | {Fds,3} {Threads,3} | " +
        $"{MiB(HeapBytes),5:F1} {MiB(CommittedBytes),6:F1} {MiB(FragmentedBytes),5:F1} | " +
        $"{MiB(Gen0Bytes),4:F1} {MiB(Gen1Bytes),4:F1} {MiB(Gen2Bytes),4:F1} {MiB(LohBytes),4:F1} {MiB(PohBytes),4:F1} | {MiB(PoolBytes),4:F1} | {JitMethods,5} | " +
        $"{MiB(AllocatedBytes - previous.AllocatedBytes),7:F0} MB  {Gen0Count - previous.Gen0Count}/{Gen1Count - previous.Gen1Count}/{Gen2Count - previous.Gen2Count}");

    public override string ToString() => Row("now", default);
}
