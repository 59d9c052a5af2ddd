namespace Samsa.Cluster;

/// <summary>One partition as Metadata describes it.</summary>
public sealed record PartitionInfo(
    int Partition,
    int Leader,
    int LeaderEpoch,
    IReadOnlyList<int> Replicas,
    IReadOnlyList<int> InSyncReplicas,
    IReadOnlyList<int> OfflineReplicas,
    ErrorCode Error);
