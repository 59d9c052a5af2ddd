using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Interop;

/// <summary>
/// A three-broker mock cluster of its own with a <see cref="RecordingProxy"/> in front of every broker (the mock
/// advertises the proxy), so that tests see every frame a client sends. Not the shared ClusterFixture: the
/// advertised addresses stay pointed at the proxy for the cluster's life.
/// </summary>
public sealed class ProxiedClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;
    private RecordingProxy? _proxy;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public RecordingProxy Proxy => _proxy ?? throw new InvalidOperationException("not started");

    /// <summary>The proxy's addresses: every connection made from here is recorded.</summary>
    public string BootstrapServers => Proxy.BootstrapServers;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(3);
        await _cluster.SetRebalanceDelayAsync(0);
        _proxy = await RecordingProxy.AttachAsync(_cluster);
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>Tests that share one proxied cluster (run one after another, so each may clear the proxy's frames).</summary>
[CollectionDefinition(Name)]
public sealed class ProxiedClusterCollection : ICollectionFixture<ProxiedClusterFixture>
{
    public const string Name = "ProxiedMockCluster";
}
