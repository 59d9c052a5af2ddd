namespace Samsa.Cluster;

/// <summary>FindCoordinator key types.</summary>
internal enum CoordinatorType : sbyte
{
    Group = 0,
    Transaction = 1,
}
