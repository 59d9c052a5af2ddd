using System.Runtime.InteropServices;

namespace Samsa.TestCluster;

/// <summary>
/// Finds the librdkafka shared library the mock cluster (and interop tests) load. The NuGet package
/// librdkafka.redist ships several Linux builds; on x64 only <c>centos8-librdkafka.so</c> loads here, because
/// the default <c>librdkafka.so</c> needs libsasl2.so.3.
/// </summary>
public static class LibrdkafkaLocator
{
    /// <summary>Environment variable that names the library file explicitly; it wins over every other place.</summary>
    public const string OverrideVariable = "SAMSA_MOCK_LIBRDKAFKA";

    /// <summary>The file name looked for on this machine's architecture.</summary>
    public static string FileName => RuntimeInformation.ProcessArchitecture == Architecture.X64
        ? "centos8-librdkafka.so"
        : "librdkafka.so";

    private static string RidFolder => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 => "linux-arm64",
        _ => "linux-x64",
    };

    /// <summary>
    /// The places searched, in order: <see cref="OverrideVariable"/>, the application folder's
    /// runtimes/&lt;rid&gt;/native/ (a framework-dependent build), the application folder itself (a RID-specific
    /// or NativeAOT publish), the executable's folder, then the newest librdkafka.redist in the NuGet cache.
    /// </summary>
    public static IReadOnlyList<string> Candidates()
    {
        var list = new List<string>();
        string? overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            list.Add(overridePath);
        }

        string baseDir = AppContext.BaseDirectory;
        list.Add(Path.Combine(baseDir, "runtimes", RidFolder, "native", FileName));
        list.Add(Path.Combine(baseDir, FileName));
        string? exeDir = Path.GetDirectoryName(Environment.ProcessPath);
        if (!string.IsNullOrEmpty(exeDir) && !PathsEqual(exeDir, baseDir))
        {
            list.Add(Path.Combine(exeDir, FileName));
        }

        string? cached = FindInNuGetCache();
        if (cached is not null)
        {
            list.Add(cached);
        }

        return list;
    }

    /// <summary>Returns the library's full path, or throws with every place that was searched.</summary>
    /// <exception cref="FileNotFoundException">No candidate exists, or the override names a missing file.</exception>
    public static string Find()
    {
        string? overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            // An explicit choice that is wrong must not silently fall back to another build.
            return File.Exists(overridePath)
                ? Path.GetFullPath(overridePath)
                : throw new FileNotFoundException(
                    $"{OverrideVariable} names '{overridePath}', which does not exist.", overridePath);
        }

        IReadOnlyList<string> candidates = Candidates();
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new FileNotFoundException(
            $"Could not find {FileName} for the mock cluster. Searched: {string.Join(", ", candidates)}. " +
            $"Reference the librdkafka.redist package, or set {OverrideVariable} to the library's path.",
            FileName);
    }

    private static string? FindInNuGetCache()
    {
        string? root = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrWhiteSpace(root))
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            root = Path.Combine(home, ".nuget", "packages");
        }

        string packageDir = Path.Combine(root, "librdkafka.redist");
        if (!Directory.Exists(packageDir))
        {
            return null;
        }

        string? best = null;
        Version? bestVersion = null;
        foreach (string dir in Directory.EnumerateDirectories(packageDir))
        {
            string candidate = Path.Combine(dir, "runtimes", RidFolder, "native", FileName);
            if (!Version.TryParse(Path.GetFileName(dir), out Version? version) || !File.Exists(candidate))
            {
                continue; // pre-release folders and incomplete extractions are ignored
            }

            if (bestVersion is null || version > bestVersion)
            {
                bestVersion = version;
                best = candidate;
            }
        }

        return best;
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);
}
