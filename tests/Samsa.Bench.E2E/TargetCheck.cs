using System.Globalization;

namespace Samsa.Bench.E2E;

/// <summary>The performance targets of issue 7, checked against the medians: one line each, met, missed or not measured.</summary>
internal static class TargetCheck
{
    public static List<string> Evaluate(IReadOnlyList<SummaryRow> rows)
    {
        var lines = new List<string>();
        SummaryRow? sp = SummaryRow.Find(rows, "libsamsa", "produce");
        SummaryRow? rp = SummaryRow.Find(rows, "librdkafka", "produce");
        lines.Add(Ratio("libsamsa produce ≥ librdkafka produce (msg/s)", sp, rp, 1.0));
        SummaryRow? sc = SummaryRow.Find(rows, "libsamsa", "consume-default");
        foreach (string profile in (string[])["consume-default", "consume-fast"])
        {
            SummaryRow? rc = SummaryRow.Find(rows, "librdkafka", profile);
            string what = profile == "consume-fast" ? "librdkafka (fast fetch)" : "librdkafka (defaults)";
            lines.Add(Ratio($"libsamsa consume ≥ {what} consume (msg/s)", sc, rc, 1.0));
            lines.Add(sc is null || rc is null
                ? $"- libsamsa consume CPU/msg ≤ {what}: **not measured**"
                : F($"- libsamsa consume CPU/msg ≤ {what}: {(sc.CpuPerMillion <= rc.CpuPerMillion ? "**met**" : "**missed**")} ({sc.CpuPerMillion:F2} vs {rc.CpuPerMillion:F2} CPU s per million)"));
        }

        SummaryRow? mp = SummaryRow.Find(rows, "samsa-managed", "produce");
        SummaryRow? cp = SummaryRow.Find(rows, "confluent", "produce");
        lines.Add(Ratio("Samsa.Managed produce ≥ 1.5 × Confluent.Kafka (msg/s)", mp, cp, 1.5));
        SummaryRow? mc = SummaryRow.Find(rows, "samsa-managed", "consume-default");
        SummaryRow? cc = SummaryRow.Find(rows, "confluent", "consume-default");
        lines.Add(Ratio("Samsa.Managed consume ≥ 1.5 × Confluent.Kafka (msg/s)", mc, cc, 1.5));
        lines.Add(sc is null
            ? "- libsamsa consumer peak RSS < 16 MB: **not measured**"
            : F($"- libsamsa consumer peak RSS < 16 MB: {(sc.RssMegabytes < 16 ? "**met**" : "**missed**")} ({sc.RssMegabytes:F1} MB)"));
        return lines;
    }

    private static string Ratio(string what, SummaryRow? ours, SummaryRow? theirs, double factor)
    {
        if (ours is null || theirs is null)
        {
            return $"- {what}: **not measured**";
        }

        double ratio = ours.MessagesPerSecond / theirs.MessagesPerSecond;
        return F($"- {what}: {(ratio >= factor ? "**met**" : "**missed**")} ({ours.MessagesPerSecond:N0} vs {theirs.MessagesPerSecond:N0} msg/s, × {ratio:F2})");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
