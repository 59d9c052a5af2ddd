using System.Globalization;

namespace Samsa.Bench.E2E;

/// <summary>One client process's RESULT line: what it did in its timed window.</summary>
internal sealed record RunResult(string Client, string Phase, int Run, long Messages, long Bytes, double Seconds, double CpuSeconds, long RssKb, long Errors)
{
    public double MessagesPerSecond => Seconds > 0 ? Messages / Seconds : 0;

    public double MegabytesPerSecond => Seconds > 0 ? Bytes / 1e6 / Seconds : 0;

    public double CpuPerMillion => Messages > 0 ? CpuSeconds / (Messages / 1e6) : 0;

    public double RssMegabytes => RssKb / 1024.0;

    /// <summary>Parses "RESULT client=.. phase=.. msgs=.. bytes=.. seconds=.. cpu=.. rss_kb=.. errors=..".</summary>
    public static RunResult? Parse(string line, int run)
    {
        if (!line.StartsWith("RESULT ", StringComparison.Ordinal))
        {
            return null;
        }

        var f = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in line[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                f[part[..eq]] = part[(eq + 1)..];
            }
        }

        return new RunResult(f["client"], f["phase"], run, L(f["msgs"]), L(f["bytes"]), D(f["seconds"]), D(f["cpu"]), L(f["rss_kb"]), L(f["errors"]));

        static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);
        static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
    }
}
