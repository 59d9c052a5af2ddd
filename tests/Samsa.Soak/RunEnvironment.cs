using System.Collections;
using System.Globalization;
using System.Runtime;
using Samsa.TestSupport;

namespace Samsa.Soak;

/// <summary>
/// What the soak ran with, printed first so that a run's memory figures can be read against it: the allocator
/// and runtime settings that change RSS without changing the client (glibc's MALLOC_* such as MALLOC_ARENA_MAX,
/// DOTNET_* GC and JIT knobs), the GC mode, and the machine's load (the soak shares the machine).
/// </summary>
internal static class RunEnvironment
{
    public static string Describe()
    {
        var settings = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            string name = (string)entry.Key;
            if (name.StartsWith("MALLOC_", StringComparison.Ordinal) || name.StartsWith("GLIBC_TUNABLES", StringComparison.Ordinal) ||
                ((name.StartsWith("DOTNET_", StringComparison.Ordinal) || name.StartsWith("COMPlus_", StringComparison.Ordinal)) && !IsToolingOnly(name)))
            {
                settings.Add($"{name}={entry.Value}");
            }
        }

        settings.Sort(StringComparer.Ordinal);
        string env = settings.Count == 0 ? "none (glibc and runtime defaults)" : string.Join(' ', settings);
        return string.Create(CultureInfo.InvariantCulture,
            $"environment: {env}; GC server={GCSettings.IsServerGC} concurrent={IsConcurrent()} latency={GCSettings.LatencyMode}; " +
            $".NET {Environment.Version}, {Environment.ProcessorCount} cpus, load average {LoadAverage()}");
    }

    /// <summary>1, 5 and 15-minute load averages.</summary>
    public static string LoadAverage() => MachineLoad.Read() is { } f ? $"{f[0]} {f[1]} {f[2]}" : "?";

    /// <summary>The 1-minute load average.</summary>
    public static string Load1() => MachineLoad.Read()?[0] ?? "?";

    // The SDK's own switches (telemetry, logo, CLI server, install root) do not change the process.
    private static bool IsToolingOnly(string name) =>
        name.StartsWith("DOTNET_CLI_", StringComparison.Ordinal) || name is "DOTNET_NOLOGO" or "DOTNET_GENERATE_ASPNET_CERTIFICATE" ||
        name.StartsWith("DOTNET_ROOT", StringComparison.Ordinal);

    private static bool IsConcurrent() =>
        AppContext.GetData("System.GC.Concurrent") is not bool concurrent || concurrent;
}
