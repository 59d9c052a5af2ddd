using System.Reflection;
using System.Runtime.InteropServices;

namespace Samsa.TestCluster.Native;

/// <summary>
/// Loads librdkafka by explicit path (see <see cref="LibrdkafkaLocator"/>) and answers this assembly's
/// P/Invokes for <see cref="RdKafkaMock.Library"/> with it, so that no system or package default is picked up.
/// </summary>
internal static class NativeLoader
{
    private static readonly Lock Gate = new();
    private static nint s_handle;
    private static string? s_path;
    private static bool s_resolverInstalled;

    /// <summary>The path loaded, once <see cref="EnsureLoaded"/> has succeeded.</summary>
    internal static string? LoadedPath => s_path;

    /// <summary>Loads the library (once per process) and installs the resolver.</summary>
    /// <exception cref="FileNotFoundException">The library cannot be found.</exception>
    /// <exception cref="DllNotFoundException">The library exists but does not load.</exception>
    internal static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (s_handle != 0)
            {
                return;
            }

            string path = LibrdkafkaLocator.Find();
            if (!NativeLibrary.TryLoad(path, out nint handle))
            {
                throw new DllNotFoundException(
                    $"'{path}' exists but could not be loaded (missing dependency or wrong architecture?).");
            }

            s_handle = handle;
            s_path = path;
            if (!s_resolverInstalled)
            {
                NativeLibrary.SetDllImportResolver(typeof(NativeLoader).Assembly, Resolve);
                s_resolverInstalled = true;
            }
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == RdKafkaMock.Library ? s_handle : 0;
}
