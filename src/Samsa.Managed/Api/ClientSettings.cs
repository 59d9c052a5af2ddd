using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Consumer;
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
            Metrics = new Diagnostics.ClientMetrics(config.ClientId, config switch
            {
                ProducerConfig => "producer",
                ConsumerConfig => "consumer",
                _ => "admin",
            }),
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
        TopicMetadataPropagationMax = config.TopicMetadataPropagationMax,
    };

    /// <summary>
    /// The consumer's settings. queued.min.messages bounds each partition's prefetch; fetch.queue.backoff.ms is not
    /// needed (the fetcher is woken as soon as the application drains a partition); max.poll.records does not apply
    /// (each consume call returns one record); the group settings go to the membership with the whole config.
    /// </summary>
    public static ConsumerSettings Consumer(ConsumerConfig config) => new()
    {
        GroupId = string.IsNullOrEmpty(config.GroupId) ? null : config.GroupId,
        GroupInstanceId = config.GroupInstanceId,
        EnableAutoCommit = config.EnableAutoCommit,
        AutoCommitInterval = config.AutoCommitInterval,
        EnableAutoOffsetStore = config.EnableAutoOffsetStore,
        AutoOffsetReset = config.AutoOffsetReset,
        IsolationLevel = config.IsolationLevel,
        FetchMinBytes = config.FetchMinBytes,
        FetchMaxBytes = Math.Max(1, config.FetchMaxBytes),
        MaxPartitionFetchBytes = config.MaxPartitionFetchBytes,
        FetchWaitMax = config.FetchWaitMax,
        QueueMaxBytes = config.QueuedMaxMessagesKbytes * 1024L,
        QueuedMinMessages = config.QueuedMinMessages,
        EnablePartitionEof = config.EnablePartitionEof,
        CheckCrcs = config.CheckCrcs,
        ClientRack = config.ClientRack,
        RetryBackoff = config.RetryBackoff,
        RetryBackoffMax = config.RetryBackoffMax,
        RequestTimeout = config.RequestTimeout,
        PreferredReplicaMaxAge = config.MetadataMaxAge,
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
