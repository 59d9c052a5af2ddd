using System.Collections.Frozen;
using Samsa.Protocol.Messages;

namespace Samsa.Cluster;

/// <summary>
/// Turns a Metadata response into a new snapshot, keeping what the response did not cover and refusing to
/// move a partition back to an older leader epoch (KIP-320: a broker with stale metadata must not undo
/// what a fresher one said).
/// </summary>
internal static class MetadataSnapshotBuilder
{
    public static ClusterMetadata Build(ClusterMetadata previous, MetadataResponse response, bool coversAllTopics)
    {
        var brokers = new Dictionary<int, BrokerNode>(response.Brokers.Count);
        foreach (MetadataResponse.MetadataResponseBroker b in response.Brokers)
        {
            brokers[b.NodeId] = new BrokerNode(b.NodeId, b.Host, b.Port, b.Rack);
        }

        var topics = new Dictionary<string, TopicInfo>(StringComparer.Ordinal);
        if (!coversAllTopics)
        {
            foreach (var (name, info) in previous.Topics)
            {
                topics[name] = info;
            }
        }

        foreach (MetadataResponse.MetadataResponseTopic t in response.Topics)
        {
            if (t.Name is null)
            {
                continue;
            }

            var error = (ErrorCode)t.ErrorCode;
            previous.Topics.TryGetValue(t.Name, out TopicInfo? old);
            topics[t.Name] = new TopicInfo(t.Name, t.TopicId, t.IsInternal, error, Partitions(t, old));
        }

        return new ClusterMetadata(
            response.ClusterId,
            response.ControllerId,
            brokers.ToFrozenDictionary(),
            topics.ToFrozenDictionary(StringComparer.Ordinal),
            Environment.TickCount64);
    }

    private static PartitionInfo[] Partitions(MetadataResponse.MetadataResponseTopic t, TopicInfo? old)
    {
        int count = 0;
        foreach (MetadataResponse.MetadataResponsePartition p in t.Partitions)
        {
            count = Math.Max(count, p.PartitionIndex + 1);
        }

        var partitions = new PartitionInfo[count];
        foreach (MetadataResponse.MetadataResponsePartition p in t.Partitions)
        {
            if (p.PartitionIndex < 0)
            {
                continue;
            }

            var info = new PartitionInfo(p.PartitionIndex, p.LeaderId, p.LeaderEpoch, p.ReplicaNodes, p.IsrNodes, p.OfflineReplicas, (ErrorCode)p.ErrorCode);
            if (old is not null && p.PartitionIndex < old.Partitions.Count)
            {
                PartitionInfo known = old.Partitions[p.PartitionIndex];
                if (known.LeaderEpoch >= 0 && info.LeaderEpoch >= 0 && info.LeaderEpoch < known.LeaderEpoch)
                {
                    info = known;
                }
            }

            partitions[p.PartitionIndex] = info;
        }

        // A response that skips an index (should not happen) leaves a leaderless placeholder, never a null.
        for (int i = 0; i < partitions.Length; i++)
        {
            partitions[i] ??= new PartitionInfo(i, -1, -1, [], [], [], ErrorCode.LeaderNotAvailable);
        }

        return partitions;
    }
}
