using System.Diagnostics.Metrics;

namespace Samsa.Soak;

/// <summary>
/// Listens to the client's "Samsa" meters: how many instruments are alive (a client that never disposes its
/// meter would leave them growing with every churned consumer) and how many broker connections are open
/// (opened − closed over all clients).
/// </summary>
internal sealed class MeterCensus : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _instruments;
    private long _opened;
    private long _closed;

    public MeterCensus()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Samsa")
            {
                Interlocked.Increment(ref _instruments);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (_, _) => Interlocked.Decrement(ref _instruments);
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "samsa.connections.opened")
            {
                Interlocked.Add(ref _opened, value);
            }
            else if (instrument.Name == "samsa.connections.closed")
            {
                Interlocked.Add(ref _closed, value);
            }
        });
        _listener.Start();
    }

    public long Instruments => Interlocked.Read(ref _instruments);

    public long OpenConnections => Interlocked.Read(ref _opened) - Interlocked.Read(ref _closed);

    public void Dispose() => _listener.Dispose();
}
