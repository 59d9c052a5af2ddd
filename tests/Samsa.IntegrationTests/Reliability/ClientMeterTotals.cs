using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Samsa.IntegrationTests.Reliability;

/// <summary>Sums the "Samsa" meter's counters of one client (by client.id) while it lives, to report what a run took.</summary>
internal sealed class ClientMeterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public ClientMeterTotals(string clientId)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Samsa"
                && instrument.Meter.Tags?.Any(t => t.Key == "client.id" && Equals(t.Value, clientId)) == true)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            _totals.AddOrUpdate(instrument.Name, value, (_, old) => old + value));
        _listener.Start();
    }

    /// <summary>The sum of a counter's measurements so far (0 if none).</summary>
    public long this[string instrument] => _totals.GetValueOrDefault(instrument);

    public void Dispose() => _listener.Dispose();
}
