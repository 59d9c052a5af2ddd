using Testcontainers.Kafka;

namespace Samsa.TestSupport;

/// <summary>
/// A real Kafka broker in a Docker container (Testcontainers), for tests marked <see cref="DockerFactAttribute"/>.
/// Without Docker it starts nothing and <see cref="BootstrapServers"/> skips the calling test. The image can be
/// chosen with <see cref="ImageVariable"/>.
/// </summary>
public sealed class KafkaContainerFixture : IAsyncLifetime
{
    /// <summary>Environment variable naming the Kafka image to run.</summary>
    public const string ImageVariable = "SAMSA_KAFKA_IMAGE";

    /// <summary>The image used when <see cref="ImageVariable"/> is not set.</summary>
    public const string DefaultImage = "apache/kafka:3.9.1";

    private KafkaContainer? _container;

    /// <summary>True once the broker runs.</summary>
    public bool IsRunning => _container is not null;

    /// <summary>host:port of the broker.</summary>
    /// <exception cref="SkipException">No Docker engine, so no broker.</exception>
    public string BootstrapServers => _container is not null
        ? StripScheme(_container.GetBootstrapAddress())
        : throw new SkipException("Needs Docker: " + (DockerAvailability.Reason ?? "the container did not start"));

    public async Task InitializeAsync()
    {
        if (!DockerAvailability.IsAvailable)
        {
            return; // tests are [DockerFact] and skip; failing here would fail them instead
        }

        string image = Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } i ? i : DefaultImage;
        KafkaContainer container = new KafkaBuilder(image).Build();
        await container.StartAsync();
        _container = container;
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
            _container = null;
        }
    }

    // Testcontainers reports "PLAINTEXT://host:port/"; Kafka clients want host:port.
    private static string StripScheme(string address)
    {
        int scheme = address.IndexOf("://", StringComparison.Ordinal);
        string hostPort = scheme >= 0 ? address[(scheme + 3)..] : address;
        return hostPort.TrimEnd('/');
    }
}
