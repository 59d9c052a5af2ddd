using System.Globalization;
using System.Text;

namespace Samsa.Bench.E2E;

/// <summary>
/// The results as markdown (parameters, load, table of medians, targets), spliced into BENCHMARKS.md between
/// its markers, and as CSV (bench/results.csv) for the chart.
/// </summary>
internal static class ResultsReport
{
    public const string Begin = "<!-- e2e-results:begin (written by bench/run.sh) -->";
    public const string End = "<!-- e2e-results:end -->";

    public static string Markdown(BenchInfo info, IReadOnlyList<SummaryRow> rows, string commit)
    {
        var sb = new StringBuilder();
        sb.AppendLine(F($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit {commit}: {info.Messages:N0} messages of {info.Size} B per run,"))
          .AppendLine(F($"{info.Partitions} partitions, {info.Brokers}-broker test cluster (librdkafka mock, own process), median of {info.Runs} run(s) per client."))
          .AppendLine()
          .AppendLine(F($"Load average before: {info.LoadBefore}; after: {info.LoadAfter}."))
          .AppendLine()
          .Append(info.ExtraConsumerProperties.Length > 0 ? $"Extra consumer properties, for every client: `{info.ExtraConsumerProperties}`.\n\n" : "")
          .AppendLine("| client | phase | msg/s | MB/s | CPU s per M msgs | peak RSS MB | messages found | runs |")
          .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (SummaryRow r in rows)
        {
            string found = r.MinMessages == r.MaxMessages ? F($"{r.MinMessages:N0}") : F($"{r.MinMessages:N0}–{r.MaxMessages:N0}");
            string errors = r.Errors > 0 ? F($" ({r.Errors} errors)") : "";
            sb.AppendLine(F($"| {r.Label} | {r.Phase} | {r.MessagesPerSecond:N0} | {r.MegabytesPerSecond:F1} | {r.CpuPerMillion:F2} | {r.RssMegabytes:F1} | {found}{errors} | {r.Runs} |"));
        }

        sb.AppendLine().AppendLine("Targets (issue 7), from these medians:").AppendLine();
        foreach (string line in TargetCheck.Evaluate(rows))
        {
            sb.AppendLine(line);
        }

        return sb.ToString();
    }

    public static string Csv(IReadOnlyList<SummaryRow> rows)
    {
        var sb = new StringBuilder("label,phase,msgs_per_s,mb_per_s,cpu_s_per_million,peak_rss_mb\n");
        foreach (SummaryRow r in rows)
        {
            sb.AppendLine(F($"{r.Label},{r.Phase},{r.MessagesPerSecond:F0},{r.MegabytesPerSecond:F2},{r.CpuPerMillion:F3},{r.RssMegabytes:F1}"));
        }

        return sb.ToString();
    }

    /// <summary>Replaces what lies between the markers of <paramref name="path"/> (appends them when missing).</summary>
    public static void Splice(string path, string markdown)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        string block = Begin + "\n" + markdown + End;
        int b = text.IndexOf(Begin, StringComparison.Ordinal);
        int e = text.IndexOf(End, StringComparison.Ordinal);
        text = b >= 0 && e > b
            ? text[..b] + block + text[(e + End.Length)..]
            : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
