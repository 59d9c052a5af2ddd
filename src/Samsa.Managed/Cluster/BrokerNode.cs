using Samsa.Network;

namespace Samsa.Cluster;

/// <summary>A broker as Metadata describes it.</summary>
public sealed record BrokerNode(int NodeId, string Host, int Port, string? Rack)
{
    public BrokerAddress Address => new(Host, Port);

    public override string ToString() => $"{Host}:{Port}/{NodeId}";
}
