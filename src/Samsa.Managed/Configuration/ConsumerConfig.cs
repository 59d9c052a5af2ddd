using System.Text;

namespace Samsa;

/// <summary>A consumer's configuration: the common settings plus group membership, offsets and fetching.</summary>
public sealed partial record ConsumerConfig : ClientConfig
{
    // Declared before s_defaults: static initializers run in text order.
    private static readonly EquatableList<PartitionAssignmentStrategy> DefaultAssignors =
        new([Samsa.PartitionAssignmentStrategy.Range, Samsa.PartitionAssignmentStrategy.RoundRobin]);

    private static readonly ConsumerConfig s_defaults = new();

    private int? _fetchMaxBytes;
    private EquatableList<PartitionAssignmentStrategy>? _assignors = DefaultAssignors;

    /// <inheritdoc/>
    public override ClientKind Kind => ClientKind.Consumer;

    /// <summary>group.id: the consumer group; required to subscribe and to commit offsets. Default none.</summary>
    public string? GroupId { get; init; }

    /// <summary>group.instance.id: a static member id (KIP-345) that survives restarts without a rebalance; requires group.id. Default none.</summary>
    public string? GroupInstanceId { get; init; }

    /// <summary>group.protocol: classic or consumer (KIP-848). Default classic.</summary>
    public GroupProtocol GroupProtocol { get; init; } = GroupProtocol.Classic;

    /// <summary>group.remote.assignor: the broker-side assignor for group.protocol=consumer, e.g. uniform or range; default: the broker's choice.</summary>
    public string? GroupRemoteAssignor { get; init; }

    /// <summary>
    /// partition.assignment.strategy: the classic protocol's client-side assignors in order of preference, as a
    /// comma-separated list of range, roundrobin, cooperative-sticky or the Java class names (RangeAssignor,
    /// RoundRobinAssignor, CooperativeStickyAssignor). Default range,roundrobin; cooperative-sticky cannot be mixed
    /// with the eager ones. The record keeps its own copy of the list given.
    /// </summary>
    public IReadOnlyList<PartitionAssignmentStrategy> PartitionAssignmentStrategies
    {
        get => _assignors!;

        // A null list is kept as null for Validate to report, as any other bad typed value.
        init => _assignors = EquatableList<PartitionAssignmentStrategy>.Of(value);
    }

    /// <summary>session.timeout.ms: how long the group waits for a silent member before removing it (classic protocol). Default 45000 ms; range 1..3600000 ms.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>heartbeat.interval.ms: how often the member heartbeats (classic protocol); below session.timeout.ms. Default 3000 ms; range 1..3600000 ms.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>max.poll.interval.ms: the longest time between polls before the member leaves the group. Default 300000 ms; range 1..86400000 ms.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>enable.auto.commit: commit stored offsets in the background. Default true.</summary>
    public bool EnableAutoCommit { get; init; } = true;

    /// <summary>auto.commit.interval.ms: how often offsets are auto-committed; zero disables. Default 5000 ms; range 0..86400000 ms.</summary>
    public TimeSpan AutoCommitInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>enable.auto.offset.store: store the offset of each record handed to the application. Default true.</summary>
    public bool EnableAutoOffsetStore { get; init; } = true;

    /// <summary>auto.offset.reset: earliest (smallest, beginning), latest (largest, end) or error (Java: none). Default latest.</summary>
    public AutoOffsetReset AutoOffsetReset { get; init; } = AutoOffsetReset.Latest;

    /// <summary>isolation.level: read_committed or read_uncommitted. Default read_committed.</summary>
    public IsolationLevel IsolationLevel { get; init; } = IsolationLevel.ReadCommitted;

    /// <summary>fetch.min.bytes: the least data a fetch response waits for (up to fetch.wait.max.ms). Default 1; range 1..100000000.</summary>
    public int FetchMinBytes { get; init; } = 1;

    /// <summary>
    /// fetch.max.bytes: the most data one fetch response carries. Default 52428800; range 0..2147483135. Unless set,
    /// it is lowered to queued.max.messages.kbytes × 1024 when that is smaller (as librdkafka does).
    /// </summary>
    public int FetchMaxBytes
    {
        get => _fetchMaxBytes ?? 52_428_800;
        init => _fetchMaxBytes = value;
    }

    /// <summary>max.partition.fetch.bytes (alias fetch.message.max.bytes): the most data fetched per partition per request. Default 1048576; range 1..1000000000.</summary>
    public int MaxPartitionFetchBytes { get; init; } = 1_048_576;

    /// <summary>fetch.wait.max.ms (alias fetch.max.wait.ms): how long the broker may wait for fetch.min.bytes. Default 500 ms; range 0..300000 ms.</summary>
    public TimeSpan FetchWaitMax { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// queued.max.messages.kbytes: the memory budget, in KiB, of all prefetched data not yet handed to the
    /// application; fetching pauses when it is reached. Default 65536 (64 MiB); range 1..2097151.
    /// </summary>
    public int QueuedMaxMessagesKbytes { get; init; } = 65_536;

    /// <summary>queued.min.messages: the records per partition the consumer tries to keep prefetched. Default 100000; range 1..10000000.</summary>
    public int QueuedMinMessages { get; init; } = 100_000;

    /// <summary>fetch.queue.backoff.ms: how long to postpone fetching a partition once the prefetch thresholds are reached. Default 1000 ms; range 0..300000 ms.</summary>
    public TimeSpan FetchQueueBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>enable.partition.eof: report reaching the end of a partition. Default false.</summary>
    public bool EnablePartitionEof { get; init; }

    /// <summary>check.crcs: verify the CRC of fetched record batches. Default false.</summary>
    public bool CheckCrcs { get; init; }

    /// <summary>max.poll.records (Java): the most records one poll returns. Default 500; range 1..2147483647.</summary>
    public int MaxPollRecords { get; init; } = 500;

    /// <summary>True when fetch.max.bytes was set rather than left at its default.</summary>
    internal bool FetchMaxBytesIsSet => _fetchMaxBytes.HasValue;

    private protected override ClientConfig Defaults => s_defaults;

    /// <summary>A consumer configuration from name/value pairs applied in order onto the defaults.</summary>
    /// <exception cref="ConfigException">A property is unknown or a value is not acceptable.</exception>
    public static ConsumerConfig FromProperties(IEnumerable<KeyValuePair<string, string>> properties) =>
        ApplyAll(new ConsumerConfig(), properties);

    /// <inheritdoc/>
    public override ConsumerConfig With(string name, string value) => Apply(this, name, value);

    /// <inheritdoc/>
    protected override bool PrintMembers(StringBuilder builder) => base.PrintMembers(builder);
}
