using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Cluster;

/// <summary>The tests that share one three-broker mock cluster (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "MockCluster";
}
