using System.Diagnostics;
using System.Globalization;

namespace Samsa.Soak;

/// <summary>What the process holds at one moment: resident memory, open file descriptors, threads, managed heap.</summary>
internal readonly record struct ResourceSample(long RssKiB, int Fds, int Threads, long ManagedKiB)
{
    public static ResourceSample Take()
    {
        long rss = 0;
        int threads = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
        }

        int fds = Directory.GetFiles("/proc/self/fd").Length;
        return new ResourceSample(rss, fds, threads, GC.GetTotalMemory(forceFullCollection: false) / 1024);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"rss={RssKiB / 1024.0:F1} MiB fds={Fds} threads={Threads} managed={ManagedKiB / 1024.0:F1} MiB");
}
