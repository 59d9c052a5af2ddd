using System.Reflection;
using System.Runtime.InteropServices;
using Samsa.TestCluster;

namespace Samsa.TestSupport;

/// <summary>
/// librdkafka for interop tests and harnesses: the same file the mock cluster loads (on x64,
/// centos8-librdkafka.so from the librdkafka.redist package; SAMSA_MOCK_LIBRDKAFKA overrides it).
/// </summary>
public static class Librdkafka
{
    private static readonly Lock Gate = new();
    private static bool s_confluentLoaded;
    private static nint s_handle;

    /// <summary>Full path of the library; throws with the places searched when it is missing.</summary>
    public static string LibraryPath => LibrdkafkaLocator.Find();

    /// <summary>
    /// Makes Confluent.Kafka use <see cref="LibraryPath"/>. Call before creating any Confluent.Kafka client;
    /// later calls do nothing.
    /// </summary>
    /// <remarks>
    /// <c>Confluent.Kafka.Library.Load(path)</c> alone does not work on this Debian: it dlopen()s through
    /// <c>[DllImport("libdl")]</c>, and only libdl.so.2 exists; then its <c>[DllImport("librdkafka")]</c> calls
    /// would resolve to the package's default librdkafka.so, which needs the absent libsasl2.so.3. A resolver on
    /// the Confluent.Kafka assembly answers both names first.
    /// </remarks>
    public static void LoadForConfluentKafka()
    {
        lock (Gate)
        {
            if (s_confluentLoaded)
            {
                return;
            }

            string path = LibraryPath;
            s_handle = NativeLibrary.Load(path);
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, ResolveForConfluent);
            }
            catch (InvalidOperationException)
            {
                // A resolver is already installed (by the process itself); Library.Load may still succeed.
            }

            Confluent.Kafka.Library.Load(path);
            s_confluentLoaded = true;
        }
    }

    private static nint ResolveForConfluent(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName == "librdkafka")
        {
            return s_handle;
        }

        if (libraryName == "libdl" && OperatingSystem.IsLinux())
        {
            return NativeLibrary.TryLoad("libdl.so.2", out nint dl) ? dl : 0;
        }

        return 0; // default probing
    }
}
