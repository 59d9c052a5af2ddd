using System.Reflection;
using System.Runtime.InteropServices;
using Samsa.Native.Interop;

namespace Samsa.Native.Exports;

/// <summary>Library-wide functions: version, error names and texts.</summary>
internal static unsafe class LibraryExports
{
    private static readonly string Version = ReadVersion();

    [CExport("The library's version, e.g. \"1.0.0\".",
        Ownership = "The string is static: do not free it.", Threading = "Any thread.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_version")]
    [return: CType("const char *")]
    public static byte* SamsaVersion() => Utf8.Static(Version);

    [CExport("A human-readable description of an error code, e.g. \"Local: Invalid argument or configuration\".",
        Ownership = "The string is static: do not free it.", Threading = "Any thread.",
        Returns = "A description for any value; unknown codes get \"Unknown error code\".")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_err2str")]
    [return: CType("const char *")]
    public static byte* SamsaErr2Str(int err)
    {
        try
        {
            // Only defined codes are cached for good: the set of possible ints is not bounded.
            return Enum.IsDefined((ErrorCode)err) ? Utf8.Static(((ErrorCode)err).Describe()) : Utf8.Static("Unknown error code");
        }
        catch (Exception)
        {
            return Utf8.Static("Unknown error");
        }
    }

    [CExport("The name of an error code: Kafka's (\"MESSAGE_TOO_LARGE\") or, for local errors, librdkafka's with a leading underscore (\"_INVALID_ARG\").",
        Ownership = "The string is static: do not free it.", Threading = "Any thread.",
        Returns = "The name; \"UNKNOWN\" for a code that is not defined.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_err2name")]
    [return: CType("const char *")]
    public static byte* SamsaErr2Name(int err)
    {
        try
        {
            return Enum.IsDefined((ErrorCode)err) ? Utf8.Static(((ErrorCode)err).Name()) : Utf8.Static("UNKNOWN");
        }
        catch (Exception)
        {
            return Utf8.Static("UNKNOWN");
        }
    }

    [CExport("The description of the last error a function reported on the calling thread (the errstr of functions that take none, e.g. samsa_produce()).",
        Ownership = "Owned by the library, valid until the next call into the library on this thread: copy it to keep it.",
        Threading = "Per thread: each thread sees its own last error.",
        Returns = "The text, or \"\" when the thread's last failing call left none.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_last_errstr")]
    [return: CType("const char *")]
    public static byte* SamsaLastErrstr()
    {
        try
        {
            return LastErrorText.Get(Errors.LastError);
        }
        catch (Exception)
        {
            return Utf8.Static(string.Empty);
        }
    }

    private static string ReadVersion()
    {
        string? v = typeof(Producer<,>).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(v))
        {
            return "0.0.0";
        }

        int plus = v.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? v[..plus] : v;
    }

    /// <summary>The thread's copy of its last error text, replaced (and the previous one freed) on each call.</summary>
    private static class LastErrorText
    {
        [ThreadStatic]
        private static nint t_text;

        [ThreadStatic]
        private static string? t_source;

        public static byte* Get(string text)
        {
            if (t_text != 0 && ReferenceEquals(t_source, text))
            {
                return (byte*)t_text;
            }

            NativeMemory.Free((void*)t_text);
            t_text = (nint)Utf8.Allocate(text);
            t_source = text;
            return (byte*)t_text;
        }
    }
}
