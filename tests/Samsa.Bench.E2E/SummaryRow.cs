namespace Samsa.Bench.E2E;

/// <summary>The medians of one client's runs of one phase (each figure's median on its own).</summary>
internal sealed record SummaryRow(string Client, string Label, string Phase, int Runs, double MessagesPerSecond, double MegabytesPerSecond,
    double CpuPerMillion, double RssMegabytes, long MinMessages, long MaxMessages, long Errors)
{
    public static List<SummaryRow> Summarize(IReadOnlyList<RunResult> results, IReadOnlyList<ClientKind> clients)
    {
        var rows = new List<SummaryRow>();
        foreach (string phase in (string[])["produce", "consume-default", "consume-fast"])
        {
            foreach (ClientKind c in clients)
            {
                List<RunResult> mine = results.Where(r => r.Client == c.Id && r.Phase == phase).ToList();
                if (mine.Count == 0)
                {
                    continue;
                }

                rows.Add(new SummaryRow(c.Id, ClientKind.RowLabel(c.Label, phase), phase, mine.Count,
                    Median(mine.Select(r => r.MessagesPerSecond)), Median(mine.Select(r => r.MegabytesPerSecond)),
                    Median(mine.Select(r => r.CpuPerMillion)), Median(mine.Select(r => r.RssMegabytes)),
                    mine.Min(r => r.Messages), mine.Max(r => r.Messages), mine.Sum(r => r.Errors)));
            }
        }

        return rows;
    }

    public static double Median(IEnumerable<double> values)
    {
        double[] v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    public static SummaryRow? Find(IEnumerable<SummaryRow> rows, string client, string phase) =>
        rows.FirstOrDefault(r => r.Client == client && r.Phase == phase);
}
