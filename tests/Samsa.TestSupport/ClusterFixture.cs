namespace Samsa.TestSupport;

/// <summary>
/// One cluster per xunit test collection (use with <c>ICollectionFixture&lt;ClusterFixture&gt;</c>; xunit
/// wants the <c>[CollectionDefinition]</c> class in the test assembly itself). By default it starts the
/// embedded mock cluster with three brokers in its own host process.
/// <para>
/// When the environment variable <see cref="ExternalBootstrapVariable"/> is set (e.g. <c>localhost:9092</c>)
/// the fixture uses that cluster instead and starts nothing. Fault injection then is unavailable:
/// <see cref="SupportsFaultInjection"/> is false and <see cref="Cluster"/> throws <see cref="SkipException"/>,
/// which reports the calling test as skipped when it is a <c>[SkippableFact]</c> or <c>[SkippableTheory]</c>
/// (package Xunit.SkippableFact; under a plain <c>[Fact]</c> it fails, with the reason).
/// Topics on an external cluster are not created by <see cref="CreateTopicAsync"/>: they are left to the
/// broker's auto-creation (auto.create.topics.enable, with its default partition count), so tests that need a
/// particular partition count should check it or skip on external clusters.
/// </para>
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    /// <summary>Names an external cluster's bootstrap servers to test against instead of the mock.</summary>
    public const string ExternalBootstrapVariable = "SAMSA_BOOTSTRAP";

    private TestCluster? _cluster;

    /// <summary>Brokers of the embedded cluster.</summary>
    protected virtual int BrokerCount => 3;

    /// <summary>The cluster's bootstrap servers, embedded or external.</summary>
    public string BootstrapServers { get; private set; } = "";

    /// <summary>True when testing against <see cref="ExternalBootstrapVariable"/>.</summary>
    public bool IsExternal { get; private set; }

    /// <summary>True when the embedded mock runs, so brokers can be taken down and errors injected.</summary>
    public bool SupportsFaultInjection => _cluster is not null;

    /// <summary>The embedded cluster; on an external cluster this skips the calling test.</summary>
    /// <exception cref="SkipException">The fixture uses an external cluster.</exception>
    public TestCluster Cluster => _cluster ?? throw new SkipException(
        $"This test injects faults, which needs the embedded mock cluster; {ExternalBootstrapVariable} selects an external cluster.");

    /// <summary>Creates a topic on the mock; on an external cluster it is left to auto-creation (see the class remarks).</summary>
    public Task CreateTopicAsync(string name, int partitions, int replicationFactor = 1, CancellationToken cancellationToken = default) =>
        _cluster is null ? Task.CompletedTask : _cluster.CreateTopicAsync(name, partitions, replicationFactor, cancellationToken);

    public async Task InitializeAsync()
    {
        string? external = Environment.GetEnvironmentVariable(ExternalBootstrapVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            IsExternal = true;
            BootstrapServers = external.Trim();
            return;
        }

        _cluster = await TestCluster.StartAsync(BrokerCount);
        BootstrapServers = _cluster.BootstrapServers;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null;
        }
    }
}
