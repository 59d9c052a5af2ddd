namespace Samsa;

/// <summary>A broker: its node id, address and rack.</summary>
public sealed record Node(int Id, string Host, int Port, string? Rack = null)
{
    public override string ToString() => $"{Host}:{Port} (id {Id}{(Rack is null ? "" : ", rack " + Rack)})";
}

/// <summary>What the cluster says about itself: its id, controller and brokers (sorted by id).</summary>
public sealed record ClusterDescription(string? ClusterId, int ControllerId, IReadOnlyList<Node> Brokers);

/// <summary>A topic in a listing.</summary>
public sealed record TopicListing(string Name, Guid TopicId, bool IsInternal);

/// <summary>One partition of a described topic.</summary>
public sealed record PartitionDescription(
    int Partition,
    int Leader,
    int LeaderEpoch,
    IReadOnlyList<int> Replicas,
    IReadOnlyList<int> InSyncReplicas,
    IReadOnlyList<int> OfflineReplicas,
    ErrorCode Error);

/// <summary>A described topic: its partitions (indexed by id), or the error that prevented describing it.</summary>
public sealed record TopicDescription(string Name, ErrorCode Error, string? ErrorMessage) : IAdminResult
{
    public Guid TopicId { get; init; }

    public bool IsInternal { get; init; }

    public IReadOnlyList<PartitionDescription> Partitions { get; init; } = [];

    public string Subject => $"topic '{Name}'";
}
