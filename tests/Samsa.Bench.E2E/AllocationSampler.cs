using System.Diagnostics.Tracing;

namespace Samsa.Bench.E2E;

/// <summary>
/// With BENCH_ALLOC_SAMPLES=1, a .NET client process listens to the runtime's allocation ticks (one event per
/// ~100 KB allocated, naming the type) and prints the types that took most on stderr at the end: where the
/// DIAG line's bytes per message come from. Off by default (the listener costs a little).
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public static AllocationSampler? StartIfAsked() =>
        Environment.GetEnvironmentVariable("BENCH_ALLOC_SAMPLES") == "1" ? new AllocationSampler() : null;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
        {
            return;
        }

        int typeIndex = e.PayloadNames!.IndexOf("TypeName");
        int amountIndex = e.PayloadNames.IndexOf("AllocationAmount64");
        string type = typeIndex >= 0 ? e.Payload[typeIndex] as string ?? "?" : "?";
        long amount = amountIndex >= 0 ? Convert.ToInt64(e.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 0;
        lock (_gate)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }

    public void Report()
    {
        lock (_gate)
        {
            foreach (KeyValuePair<string, long> kv in _bytesByType.OrderByDescending(kv => kv.Value).Take(12))
            {
                Console.Error.WriteLine($"ALLOC {kv.Value / 1_000_000.0,9:F1} MB  {kv.Key}");
            }
        }
    }
}
