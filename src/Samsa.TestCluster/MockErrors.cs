using System.Globalization;
using System.Runtime.InteropServices;
using Samsa.TestCluster.Native;

namespace Samsa.TestCluster;

/// <summary>
/// librdkafka's error names and descriptions (rd_kafka_err2name / rd_kafka_err2str) and the reverse lookup
/// used by the control channel, which accepts either a number or a name such as <c>NOT_COORDINATOR</c>.
/// </summary>
public static class MockErrors
{
    private const string CPrefix = "RD_KAFKA_RESP_ERR_";
    private static Dictionary<string, int>? s_byName;

    /// <summary>The error's librdkafka name, e.g. <c>LEADER_NOT_AVAILABLE</c> or <c>_TRANSPORT</c>.</summary>
    public static string Name(int errorCode)
    {
        NativeLoader.EnsureLoaded();
        return Marshal.PtrToStringUTF8(RdKafkaMock.Err2Name(errorCode)) ?? errorCode.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The error's human-readable description.</summary>
    public static string Description(int errorCode)
    {
        NativeLoader.EnsureLoaded();
        return Marshal.PtrToStringUTF8(RdKafkaMock.Err2Str(errorCode)) ?? "";
    }

    /// <summary>
    /// Parses an error given as a decimal number or a librdkafka name (case-insensitive, with or without the
    /// <c>RD_KAFKA_RESP_ERR_</c> prefix).
    /// </summary>
    public static bool TryParse(string text, out int errorCode)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out errorCode))
        {
            return true;
        }

        string name = text.StartsWith(CPrefix, StringComparison.OrdinalIgnoreCase) ? text[CPrefix.Length..] : text;
        return ByName().TryGetValue(name, out errorCode);
    }

    /// <summary>Builds the "NAME: description" text the control channel reports for an error.</summary>
    public static string Describe(int errorCode) => $"{Name(errorCode)}: {Description(errorCode)}";

    private static unsafe Dictionary<string, int> ByName()
    {
        Dictionary<string, int>? map = Volatile.Read(ref s_byName);
        if (map is not null)
        {
            return map;
        }

        NativeLoader.EnsureLoaded();
        map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        RdKafkaMock.ErrDesc* descs;
        nuint count;
        RdKafkaMock.GetErrDescs(&descs, &count);
        for (nuint i = 0; i < count; i++)
        {
            // The table has holes (entries without a name) between the local and the broker ranges.
            string? name = Marshal.PtrToStringUTF8(descs[i].Name);
            if (!string.IsNullOrEmpty(name))
            {
                map.TryAdd(name, descs[i].Code);
            }
        }

        Volatile.Write(ref s_byName, map);
        return map;
    }
}
