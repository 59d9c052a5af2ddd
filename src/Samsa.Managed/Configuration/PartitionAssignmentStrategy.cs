namespace Samsa;

/// <summary>
/// A client-side partition assignor of the classic group protocol (partition.assignment.strategy).
/// A consumer lists the ones it supports, in order of preference.
/// </summary>
public enum PartitionAssignmentStrategy
{
    /// <summary>range (Java RangeAssignor): contiguous ranges of each topic's partitions per member. Eager.</summary>
    Range,

    /// <summary>roundrobin (Java RoundRobinAssignor): all partitions dealt to members in turn. Eager.</summary>
    RoundRobin,

    /// <summary>cooperative-sticky (Java CooperativeStickyAssignor): sticky, incremental rebalancing.</summary>
    CooperativeSticky,
}
