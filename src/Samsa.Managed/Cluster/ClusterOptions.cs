using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Samsa.Network;

namespace Samsa.Cluster;

/// <summary>What the cluster layer needs: where to bootstrap, how to connect, how fresh metadata must be.</summary>
internal sealed record ClusterOptions
{
    public required IReadOnlyList<BrokerAddress> BootstrapServers { get; init; }

    public ConnectionOptions Connection { get; init; } = new();

    /// <summary>metadata.max.age.ms: metadata of known topics is refreshed at least this often.</summary>
    public TimeSpan MetadataMaxAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>retry.backoff.ms: the shortest wait between two metadata refreshes asked for by errors.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>reconnect.backoff.ms: the first wait after a failed connection attempt; doubles per failure.</summary>
    public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>reconnect.backoff.max.ms: the longest wait between connection attempts.</summary>
    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>allow.auto.create.topics: let Metadata requests create topics the broker does not have.</summary>
    public bool AllowAutoCreateTopics { get; init; }

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
