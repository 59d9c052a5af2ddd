using Samsa.TestSupport;

namespace Samsa.Bench.E2E;

/// <summary>The machine's load (as uptime prints it): measurements on a busy machine are noisy.</summary>
internal static class LoadAverage
{
    public static string Read() =>
        MachineLoad.Read() is { } f ? $"{f[0]}, {f[1]}, {f[2]} (1, 5, 15 min) on {Environment.ProcessorCount} cores" : "unknown";
}
