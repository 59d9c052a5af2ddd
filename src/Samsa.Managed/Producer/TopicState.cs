using Samsa.Cluster;

namespace Samsa.Producer;

/// <summary>
/// The producer's state for one topic: its partitions (once metadata is known), the sticky partition for
/// messages without a key, and the messages that arrived before the topic's metadata did.
/// </summary>
internal sealed class TopicState(string name, long createdAt)
{
    public readonly Lock Lock = new();

    public string Name { get; } = name;

    /// <summary>Partition states, indexed by partition; empty until metadata is known.</summary>
    public PartitionState[] Partitions = [];

    /// <summary>Partitions that have a leader now (for sticky and random choices).</summary>
    public int[] Available = [];

    /// <summary>Messages waiting for the topic's metadata (guarded by <see cref="Lock"/>).</summary>
    public readonly PendingQueue Pending = new();

    /// <summary>
    /// Non-zero while <see cref="Pending"/> holds messages: new messages must queue behind them (read without
    /// the lock on the fast path, written under it).
    /// </summary>
    public int PendingCount;

    /// <summary>When the producer first heard of the topic (for topic.metadata.propagation.max.ms).</summary>
    public long CreatedAt { get; } = createdAt;

    /// <summary>The error metadata reports for the topic, if any.</summary>
    public ErrorCode MetadataError;

    public int StickyPartition = -1;

    public long StickySince;

    public int PartitionCount => Volatile.Read(ref Partitions).Length;

    /// <summary>Applies new metadata: grows the partition array and recomputes the partitions with leaders.</summary>
    public void Apply(TopicInfo info)
    {
        lock (Lock)
        {
            MetadataError = info.Error;
            if (info.Error != ErrorCode.None)
            {
                return;
            }

            PartitionState[] current = Partitions;
            if (info.PartitionCount > current.Length)
            {
                var grown = new PartitionState[info.PartitionCount];
                Array.Copy(current, grown, current.Length);
                for (int i = current.Length; i < grown.Length; i++)
                {
                    grown[i] = new PartitionState(Name, i);
                }

                Volatile.Write(ref Partitions, grown);
            }

            var available = new List<int>(info.PartitionCount);
            foreach (PartitionInfo p in info.Partitions)
            {
                if (p.Leader >= 0)
                {
                    available.Add(p.Partition);
                }
            }

            Available = [.. available];
        }
    }
}
