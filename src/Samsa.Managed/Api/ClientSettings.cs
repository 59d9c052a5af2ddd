using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Network;
using Samsa.Producer;

namespace Samsa;

/// <summary>Turns validated public configurations into the settings the internal layers take.</summary>
internal static class ClientSettings
{
    public static ClusterOptions Cluster(ClientConfig config, ILogger logger) => new()
    {
        BootstrapServers = BrokerAddress.ParseList(config.BootstrapServers ?? string.Empty),
        Connection = Connection(config, logger) with
        {
            Security = SecuritySettings.Tls(config),
            Authenticator = SecuritySettings.Sasl(config),
        },
        MetadataMaxAge = config.MetadataMaxAge,
        RetryBackoff = config.RetryBackoff,
        ReconnectBackoff = config.ReconnectBackoff,
        ReconnectBackoffMax = config.ReconnectBackoffMax,
        AllowAutoCreateTopics = config.AllowAutoCreateTopics,
        Logger = logger,
    };

    public static ConnectionOptions Connection(ClientConfig config, ILogger logger) => new()
    {
        ClientId = config.ClientId,
        ConnectTimeout = config.SocketConnectionSetupTimeout,
        RequestTimeout = config.RequestTimeout,
        MaxResponseSize = config.ReceiveMessageMaxBytes,
        SocketSendBufferBytes = config.SocketSendBufferBytes,
        SocketReceiveBufferBytes = config.SocketReceiveBufferBytes,
        Logger = logger,
    };

    public static ProducerSettings Producer(ProducerConfig config, IPartitioner? customPartitioner) => new()
    {
        Acks = (short)config.Acks,
        Linger = config.Linger,
        BatchSize = config.BatchSize,
        BatchNumMessages = config.BatchNumMessages,
        Compression = config.CompressionType,
        CompressionLevel = config.CompressionLevel,
        Idempotence = config.EnableIdempotence,
        MaxInFlight = config.MaxInFlight,
        Retries = config.Retries,
        RetryBackoff = config.RetryBackoff,
        RetryBackoffMax = config.RetryBackoffMax,
        DeliveryTimeout = config.DeliveryTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : config.DeliveryTimeout,
        RequestTimeout = config.RequestTimeout,
        QueueMaxMessages = config.QueueBufferingMaxMessages == 0 ? int.MaxValue : config.QueueBufferingMaxMessages,
        QueueMaxBytes = config.QueueBufferingMaxKbytes * 1024L,
        MessageMaxBytes = config.MessageMaxBytes,
        Partitioner = config.Partitioner,
        CustomPartitioner = customPartitioner,
        StickyLinger = config.StickyPartitioningLinger,
    };

    /// <summary>Logs what validation adjusted or ignored: nothing is changed silently.</summary>
    public static void LogWarnings(ClientConfig config, ILogger logger)
    {
        foreach (string warning in config.Warnings)
        {
            logger.LogWarning("Configuration: {Warning}", warning);
        }
    }
}
