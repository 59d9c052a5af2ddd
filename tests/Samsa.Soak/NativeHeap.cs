using System.Runtime.InteropServices;

namespace Samsa.Soak;

/// <summary>
/// glibc's own account of its heap (mallinfo2, summed over every arena): how much native memory is in live
/// allocations and how much is free but kept by the allocator. It tells a leak (in use grows) from allocator
/// retention (free grows, in use flat). The client makes no malloc calls of its own; these are the runtime's
/// (JIT, type loader, thread-pool threads) and libc's. Optionally <c>malloc_trim(0)</c> after each sample,
/// to show how much of the retained memory the allocator would give back.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Bytes in use (uordblks + hblkhd: arena allocations plus mmapped ones) and free in arenas (fordblks).</summary>
    public static (long InUse, long Free) Read()
    {
        try
        {
            MallInfo2 info = mallinfo2();
            return ((long)(info.Uordblks + info.Hblkhd), (long)info.Fordblks);
        }
        catch (EntryPointNotFoundException)
        {
            return (-1, -1); // not glibc, or glibc before 2.33
        }
        catch (DllNotFoundException)
        {
            return (-1, -1);
        }
    }

    /// <summary>Gives free arena memory back to the kernel; true when some was released.</summary>
    public static bool Trim()
    {
        try
        {
            return malloc_trim(0) != 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc")]
    private static partial MallInfo2 mallinfo2();

    [LibraryImport("libc")]
    private static partial int malloc_trim(nuint pad);

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena;
        public nuint Ordblks;
        public nuint Smblks;
        public nuint Hblks;
        public nuint Hblkhd;
        public nuint Usmblks;
        public nuint Fsmblks;
        public nuint Uordblks;
        public nuint Fordblks;
        public nuint Keepcost;
    }
}
