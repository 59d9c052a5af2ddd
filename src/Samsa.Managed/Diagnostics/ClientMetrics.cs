using System.Diagnostics.Metrics;

namespace Samsa.Diagnostics;

/// <summary>
/// One client's <see cref="System.Diagnostics.Metrics"/> instruments, on a meter named <see cref="MeterName"/>
/// tagged with <c>client.id</c> and <c>client.type</c> (producer, consumer, admin), so that
/// <c>dotnet-counters monitor --counters Samsa</c>, OpenTelemetry or a <see cref="MeterListener"/> can tell
/// clients apart. Counters are added per batch, per fetched chunk or per request, never per message, and cost
/// a field check when nothing listens.
/// </summary>
internal sealed class ClientMetrics : IDisposable
{
    /// <summary>The name of every Samsa meter.</summary>
    public const string MeterName = "Samsa";

    private readonly Meter _meter;

    public ClientMetrics(string clientId, string clientType)
    {
        _meter = new Meter(new MeterOptions(MeterName)
        {
            Version = ThisAssembly.Version,
            Tags = [new("client.id", clientId), new("client.type", clientType)],
        });
        ConnectionsOpened = _meter.CreateCounter<long>("samsa.connections.opened", "{connection}", "Broker connections established (after version negotiation and authentication).");
        ConnectionsClosed = _meter.CreateCounter<long>("samsa.connections.closed", "{connection}", "Broker connections closed, for any reason.");
        RequestsSent = _meter.CreateCounter<long>("samsa.requests.sent", "{request}", "Requests queued to brokers.");
        RequestTimeouts = _meter.CreateCounter<long>("samsa.requests.timeouts", "{request}", "Requests that got no response within request.timeout.ms.");
        BytesSent = _meter.CreateCounter<long>("samsa.network.bytes.sent", "By", "Request bytes queued to brokers, framing included.");
        BytesReceived = _meter.CreateCounter<long>("samsa.network.bytes.received", "By", "Response bytes read from brokers, framing included.");
        RecordsDelivered = _meter.CreateCounter<long>("samsa.producer.records.delivered", "{record}", "Records the brokers acknowledged.");
        RecordsFailed = _meter.CreateCounter<long>("samsa.producer.records.failed", "{record}", "Records reported failed to the application.");
        BatchesRetried = _meter.CreateCounter<long>("samsa.producer.batches.retried", "{batch}", "Produce batches sent again after a retriable error.");
        RecordsFetched = _meter.CreateCounter<long>("samsa.consumer.records.fetched", "{record}", "Records fetched and queued for the application (before filtering aborted transactions).");
        BytesFetched = _meter.CreateCounter<long>("samsa.consumer.bytes.fetched", "By", "Record batch bytes fetched and queued for the application.");
    }

    public Meter Meter => _meter;

    public Counter<long> ConnectionsOpened { get; }

    public Counter<long> ConnectionsClosed { get; }

    public Counter<long> RequestsSent { get; }

    public Counter<long> RequestTimeouts { get; }

    public Counter<long> BytesSent { get; }

    public Counter<long> BytesReceived { get; }

    public Counter<long> RecordsDelivered { get; }

    public Counter<long> RecordsFailed { get; }

    public Counter<long> BatchesRetried { get; }

    public Counter<long> RecordsFetched { get; }

    public Counter<long> BytesFetched { get; }

    /// <summary>An observable gauge read only when a listener collects (e.g. the producer's queue length).</summary>
    public void ObserveGauge(string name, string unit, string description, Func<long> read) =>
        _meter.CreateObservableGauge(name, read, unit, description);

    public void Dispose() => _meter.Dispose();
}
