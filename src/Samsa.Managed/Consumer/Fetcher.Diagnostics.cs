using System.Globalization;
using System.Text;

namespace Samsa.Consumer;

internal sealed partial class Fetcher
{
    /// <summary>
    /// A readable snapshot of the fetching engine: every partition's state, the memory budget, each broker
    /// fetcher's and the offset resolver's loop. For stall reports and debugging; not for hot paths.
    /// </summary>
    internal string DescribeState()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        lock (_lock)
        {
            long now = Environment.TickCount64;
            text.Append(c, $"budget: {Budget.Used} of {Budget.Limit} bytes in use ({Budget.Buffered} buffered); {_ready.Count} partition(s) ready; {_errors.Count} error(s) queued; ");
            text.Append(c, $"resolver: {_resolver.Phase}").AppendLine();
            foreach (BrokerFetcher b in _brokers.Values)
            {
                text.Append(c, $"broker {b.NodeId} fetcher: {b.Phase}; session {b.Session.SessionId} epoch {b.Session.Epoch}").AppendLine();
            }

            AppendPartitions(text, c, now);
        }

        return text.ToString();
    }

    private void AppendPartitions(StringBuilder text, CultureInfo c, long now)
    {
        Cluster.ClusterMetadata metadata = _cluster.Metadata;
        foreach (FetchPartition p in _ordered)
        {
            int target = TargetNode(p, metadata, now, out int epoch);
            text.Append(c, $"{p.TopicPartition}: {p.State} v{p.Version} fetch {p.FetchOffset} position {p.Position} hw {p.HighWatermark} target {target} (epoch {epoch}) ");
            text.Append(c, $"inflight {p.InFlightNode} resolving {p.ResolveInFlight} backoff {(p.BackoffUntil > now ? p.BackoffUntil - now : 0)} ms errors {p.ErrorCount} ");
            text.Append(c, $"queued {p.QueuedRecords} in {p.Chunks.Count} chunk(s) ready {p.InReady} paused {p.Paused} removed {p.Removed} missing {p.ReportedMissing} replica {p.PreferredReplica}").AppendLine();
        }
    }
}
