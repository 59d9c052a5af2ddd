using System.Diagnostics;
using System.Globalization;

namespace Samsa.Bench.E2E;

/// <summary>
/// What a client process measures about itself over the timed window (wall clock and user+system CPU of the
/// whole process), and its peak RSS (VmHWM) at the end; printed as the one RESULT line the orchestrator
/// parses (the C harness prints the same line).
/// </summary>
internal sealed class ClientMeasurement
{
    private readonly Stopwatch _clock = new();
    private TimeSpan _cpuStart;
    private TimeSpan _elapsed;
    private TimeSpan _cpu;
    private TimeSpan _markElapsed;
    private TimeSpan _markCpu;

    private readonly int[] _gcStart = new int[3];
    private long _allocStart;
    private TimeSpan _pauseStart;

    public void Start()
    {
        _allocStart = GC.GetTotalAllocatedBytes();
        _pauseStart = GC.GetTotalPauseDuration();
        for (int g = 0; g < 3; g++)
        {
            _gcStart[g] = GC.CollectionCount(g);
        }

        _cpuStart = CpuTime();
        _clock.Restart();
    }

    /// <summary>Ends the window now (the last delivery report, or the last message consumed).</summary>
    public void Stop()
    {
        _clock.Stop();
        _elapsed = _clock.Elapsed;
        _cpu = CpuTime() - _cpuStart;
    }

    /// <summary>
    /// Remembers now as the possible end of the window: a consumer marks when its polls start coming back empty,
    /// so that the idle time spent deciding that nothing more will come is not counted.
    /// </summary>
    public void Mark()
    {
        _markElapsed = _clock.Elapsed;
        _markCpu = CpuTime() - _cpuStart;
    }

    /// <summary>Ends the window at the last <see cref="Mark"/>.</summary>
    public void StopAtMark()
    {
        _clock.Stop();
        _elapsed = _markElapsed;
        _cpu = _markCpu;
    }

    public void Print(string client, string phase, long messages, long bytes, long errors, long queueFull = 0)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"RESULT client={client} phase={phase} msgs={messages} bytes={bytes} seconds={_elapsed.TotalSeconds:F4} cpu={_cpu.TotalSeconds:F4} rss_kb={PeakRssKb()} errors={errors} queue_full={queueFull}");
        Console.WriteLine(line);
        if (OperatingSystem.IsLinux() && messages > 0)
        {
            // Diagnostics for profiling (stderr, not parsed): how much the window allocated, and the collections.
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"DIAG {client} {phase}: allocated {(GC.GetTotalAllocatedBytes() - _allocStart) / (double)messages:F1} B/msg, gen0 {GC.CollectionCount(0) - _gcStart[0]}, gen1 {GC.CollectionCount(1) - _gcStart[1]}, gen2 {GC.CollectionCount(2) - _gcStart[2]}, GC pause {(GC.GetTotalPauseDuration() - _pauseStart).TotalMilliseconds:F0} ms"));
        }
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>VmHWM from /proc/self/status: the process's peak resident set, in KiB.</summary>
    private static long PeakRssKb()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
