namespace Samsa.Cluster;

/// <summary>One topic as Metadata describes it; <see cref="Partitions"/> is indexed by partition id.</summary>
public sealed record TopicInfo(string Name, Guid TopicId, bool IsInternal, ErrorCode Error, IReadOnlyList<PartitionInfo> Partitions)
{
    public int PartitionCount => Partitions.Count;
}
