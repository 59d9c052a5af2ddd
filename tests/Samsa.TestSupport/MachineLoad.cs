namespace Samsa.TestSupport;

/// <summary>The machine's load averages (/proc/loadavg), which the benchmark and soak tools print: measurements on a busy machine are noisy.</summary>
public static class MachineLoad
{
    /// <summary>The 1, 5 and 15-minute load averages as the kernel writes them, or null where they cannot be read.</summary>
    public static string[]? Read()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return [fields[0], fields[1], fields[2]];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
