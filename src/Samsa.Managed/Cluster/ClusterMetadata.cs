using System.Collections.Frozen;

namespace Samsa.Cluster;

/// <summary>
/// An immutable snapshot of what the cluster last said about itself. Readers on hot paths take the current
/// snapshot without locking; a refresh publishes a new one.
/// </summary>
public sealed class ClusterMetadata
{
    public static readonly ClusterMetadata Empty = new(
        null, -1, FrozenDictionary<int, BrokerNode>.Empty, FrozenDictionary<string, TopicInfo>.Empty, 0);

    public ClusterMetadata(
        string? clusterId,
        int controllerId,
        FrozenDictionary<int, BrokerNode> brokers,
        FrozenDictionary<string, TopicInfo> topics,
        long updatedAt)
    {
        ClusterId = clusterId;
        ControllerId = controllerId;
        Brokers = brokers;
        Topics = topics;
        UpdatedAt = updatedAt;
    }

    public string? ClusterId { get; }

    public int ControllerId { get; }

    public FrozenDictionary<int, BrokerNode> Brokers { get; }

    public FrozenDictionary<string, TopicInfo> Topics { get; }

    /// <summary>Environment.TickCount64 when this snapshot was made.</summary>
    public long UpdatedAt { get; }

    public TopicInfo? Topic(string name) => Topics.GetValueOrDefault(name);

    /// <summary>The leader of a partition, or -1 when unknown.</summary>
    public int LeaderOf(string topic, int partition)
    {
        if (Topics.TryGetValue(topic, out TopicInfo? t) && (uint)partition < (uint)t.Partitions.Count)
        {
            return t.Partitions[partition].Leader;
        }

        return -1;
    }
}
