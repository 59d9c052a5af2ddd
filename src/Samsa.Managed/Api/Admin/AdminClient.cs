using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Samsa.Admin;
using Samsa.Cluster;

namespace Samsa;

/// <summary>
/// Kafka's administrative operations: topics, partitions, configurations, consumer groups and their offsets,
/// offsets by time, record deletion. Thread-safe; every method is asynchronous and may run concurrently.
/// </summary>
/// <remarks>
/// <para>
/// <b>Results.</b> An operation on several items (topics, partitions, groups, resources) returns one result per
/// item, in the order given. When any item failed, it throws an <see cref="AdminException{TResult}"/> whose
/// <see cref="AdminException{TResult}.Results"/> holds every item's result (the successful ones too): one failed
/// item never hides the others. A failure of the whole operation (no broker reachable, an API the cluster does
/// not offer, cancellation) is thrown as a <see cref="KafkaException"/> (or <see cref="OperationCanceledException"/>).
/// </para>
/// <para>
/// <b>Routing and retries.</b> Topic creation, deletion and partition changes go to the controller (retried
/// when it moves: NOT_CONTROLLER); group operations to the group's coordinator (retried on NOT_COORDINATOR and
/// while it loads); ListGroups to every broker (merged); ListOffsets and DeleteRecords to each partition's leader;
/// a broker's configuration to that broker. Transient failures are retried with backoff until
/// <see cref="AdminOptions.RequestTimeout"/> (default request.timeout.ms) runs out.
/// </para>
/// </remarks>
public sealed partial class AdminClient : IAsyncDisposable, IDisposable
{
    private static int _instances;

    private readonly KafkaCluster _cluster;
    private readonly AdminContext _context;

    /// <summary>Creates an admin client; the configuration is validated first (a <see cref="ConfigException"/> names any problem).</summary>
    public AdminClient(AdminConfig config, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ILogger logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Samsa.Admin");
        AdminConfig effective = config.Validate();
        ClientSettings.LogWarnings(effective, logger);
        ClusterOptions cluster = ClientSettings.Cluster(effective, logger);
        Name = $"{effective.ClientId}#admin-{Interlocked.Increment(ref _instances)}";
        _cluster = new KafkaCluster(cluster);
        _context = new AdminContext(_cluster, effective.RequestTimeout, effective.RetryBackoff, effective.RetryBackoffMax, logger);
    }

    /// <summary>Starts from librdkafka/Java property names and values.</summary>
    public AdminClient(IEnumerable<KeyValuePair<string, string>> properties, ILoggerFactory? loggerFactory = null)
        : this(AdminConfig.FromProperties(properties), loggerFactory)
    {
    }

    internal AdminClient(ClusterOptions cluster, TimeSpan requestTimeout, ILogger? logger = null)
    {
        Name = $"admin-{Interlocked.Increment(ref _instances)}";
        _cluster = new KafkaCluster(cluster);
        _context = new AdminContext(_cluster, requestTimeout, cluster.RetryBackoff, TimeSpan.FromSeconds(1), logger ?? NullLogger.Instance);
    }

    /// <summary>The client's name in logs: client.id#admin-N.</summary>
    public string Name { get; }

    internal KafkaCluster Cluster => _cluster;

    /// <summary>The cluster's id, controller and brokers (DescribeCluster where the brokers offer it, else Metadata).</summary>
    public Task<ClusterDescription> DescribeClusterAsync(AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        ClusterOperations.DescribeClusterAsync(_context, options, cancellationToken);

    /// <summary>Every topic's name and id, sorted by name (internal topics only when asked for).</summary>
    public Task<IReadOnlyList<TopicListing>> ListTopicsAsync(bool includeInternal = false, AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        ClusterOperations.ListTopicsAsync(_context, includeInternal, options, cancellationToken);

    /// <summary>Topics' partitions, leaders and replicas (Metadata). Unknown topics fail with UNKNOWN_TOPIC_OR_PARTITION.</summary>
    public Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        ClusterOperations.DescribeTopicsAsync(_context, List(topics), options, cancellationToken);

    /// <summary>Creates topics (CreateTopics, at the controller). <see cref="AdminOptions.ValidateOnly"/> only checks them.</summary>
    public Task<IReadOnlyList<CreateTopicResult>> CreateTopicsAsync(IEnumerable<NewTopic> topics, AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        TopicOperations.CreateTopicsAsync(_context, List(topics), options, cancellationToken);

    /// <summary>Deletes topics (DeleteTopics, at the controller).</summary>
    public Task<IReadOnlyList<DeleteTopicResult>> DeleteTopicsAsync(IEnumerable<string> topics, AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        TopicOperations.DeleteTopicsAsync(_context, List(topics), options, cancellationToken);

    /// <summary>Adds partitions to topics (CreatePartitions, at the controller).</summary>
    public Task<IReadOnlyList<CreatePartitionsResult>> CreatePartitionsAsync(IEnumerable<PartitionsIncrease> increases, AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        TopicOperations.CreatePartitionsAsync(_context, List(increases), options, cancellationToken);

    /// <summary>
    /// Resources' configuration entries (DescribeConfigs): a broker's at that broker, the rest at the controller.
    /// Synonyms and documentation only when asked for.
    /// </summary>
    public Task<IReadOnlyList<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, bool includeSynonyms = false,
        bool includeDocumentation = false, AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        ConfigOperations.DescribeConfigsAsync(_context, List(resources), includeSynonyms, includeDocumentation, options, cancellationToken);

    /// <summary>Changes configuration entries one by one (IncrementalAlterConfigs): set, delete, append, subtract.</summary>
    public Task<IReadOnlyList<AlterConfigsResult>> IncrementalAlterConfigsAsync(IEnumerable<KeyValuePair<ConfigResource, IReadOnlyList<ConfigAlteration>>> alterations,
        AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        ConfigOperations.IncrementalAlterConfigsAsync(_context, List(alterations), options, cancellationToken);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync().ConfigureAwait(false);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static List<T> List<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new List<T>(items);
        foreach (T item in list)
        {
            if (item is null)
            {
                throw new ArgumentException("The list contains a null item.", nameof(items));
            }
        }

        return list;
    }
}
