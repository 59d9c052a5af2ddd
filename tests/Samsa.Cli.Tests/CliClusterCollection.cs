using Samsa.TestSupport;

namespace Samsa.Cli.Tests;

/// <summary>The CLI tests that share one three-broker test cluster.</summary>
[CollectionDefinition(Name)]
public sealed class CliClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "CliCluster";
}
