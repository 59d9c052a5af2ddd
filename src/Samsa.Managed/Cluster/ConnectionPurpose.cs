namespace Samsa.Cluster;

/// <summary>
/// Why a connection to a broker exists. The group coordinator gets a connection of its own so that
/// heartbeats never queue behind a long-polling Fetch on the same socket (brokers answer a connection's
/// requests one at a time).
/// </summary>
internal enum ConnectionPurpose
{
    Default,
    Coordinator,
}
