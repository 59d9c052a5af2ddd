using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Samsa.TestSupport;

/// <summary>
/// Builds the command that starts the test cluster host. The host's build output (Samsa.TestCluster.dll, its
/// runtimeconfig and runtimes/ folder) is copied next to every project that references Samsa.TestSupport; it
/// is run through the same dotnet muxer as the tests (<c>dotnet exec</c>), which does not depend on the
/// apphost finding a runtime. <see cref="HostOverrideVariable"/> may name another host, such as the NativeAOT build.
/// </summary>
public static class HostLauncher
{
    /// <summary>Path of a host executable (e.g. the NativeAOT publish) or of a host .dll to use instead.</summary>
    public const string HostOverrideVariable = "SAMSA_TEST_CLUSTER_HOST";

    private const string HostAssembly = "Samsa.TestCluster.dll";

    /// <summary>A start info for the host with <paramref name="hostArguments"/>, stdin/stdout/stderr redirected.</summary>
    public static ProcessStartInfo CreateStartInfo(IEnumerable<string> hostArguments)
    {
        (string fileName, List<string> prefix) = ResolveHost();
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string a in prefix)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (string a in hostArguments)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    private static (string FileName, List<string> Prefix) ResolveHost()
    {
        string? overridePath = Environment.GetEnvironmentVariable(HostOverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            if (!File.Exists(overridePath))
            {
                throw new TestClusterException($"{HostOverrideVariable} names '{overridePath}', which does not exist.");
            }

            return overridePath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? (DotnetMuxer(), ["exec", Path.GetFullPath(overridePath)])
                : (Path.GetFullPath(overridePath), []);
        }

        string dll = Path.Combine(AppContext.BaseDirectory, HostAssembly);
        if (!File.Exists(dll))
        {
            throw new TestClusterException(
                $"The test cluster host {dll} is missing: reference Samsa.TestSupport (which references " +
                $"Samsa.TestCluster) from the test project, or set {HostOverrideVariable}.");
        }

        var prefix = new List<string> { "exec" };
        string runtimeConfig = Path.ChangeExtension(dll, ".runtimeconfig.json");
        if (File.Exists(runtimeConfig))
        {
            prefix.Add("--runtimeconfig");
            prefix.Add(runtimeConfig);
        }

        string deps = Path.ChangeExtension(dll, ".deps.json");
        if (File.Exists(deps))
        {
            prefix.Add("--depsfile");
            prefix.Add(deps);
        }

        prefix.Add(dll);
        return (DotnetMuxer(), prefix);
    }

    /// <summary>The dotnet executable running these tests, so that the host uses the same runtime.</summary>
    private static string DotnetMuxer()
    {
        string exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileName(processPath) == exe)
        {
            return processPath;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ holds the running runtime; the muxer is in <root>.
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        string candidate = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", exe));
        if (File.Exists(candidate))
        {
            return candidate;
        }

        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, exe)))
        {
            return Path.Combine(root, exe);
        }

        return exe; // last resort: PATH
    }
}
