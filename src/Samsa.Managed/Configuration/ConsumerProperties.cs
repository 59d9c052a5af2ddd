namespace Samsa;

/// <summary>The consumer's properties.</summary>
internal static class ConsumerProperties
{
    public static readonly ConfigProperty[] All =
    [
        P("group.id", ConfigValues.OptionalText(), c => c.GroupId, (c, v) => c with { GroupId = v }, "Consumer group id."),
        P("group.instance.id", ConfigValues.OptionalText(), c => c.GroupInstanceId,
            (c, v) => c with { GroupInstanceId = v }, "Static group member id (KIP-345)."),
        P("group.protocol", ConfigEnumNames.GroupProtocol, c => c.GroupProtocol, (c, v) => c with { GroupProtocol = v },
            "Group protocol: classic or consumer (KIP-848)."),
        P("group.remote.assignor", ConfigValues.OptionalText(), c => c.GroupRemoteAssignor,
            (c, v) => c with { GroupRemoteAssignor = v }, "Broker-side assignor for group.protocol=consumer."),
        P("partition.assignment.strategy", new AssignorListValue(ConfigEnumNames.Assignor),
            c => c.PartitionAssignmentStrategies, (c, v) => c with { PartitionAssignmentStrategies = v },
            "Client-side assignors, in order of preference."),
        P("session.timeout.ms", ConfigValues.Milliseconds(1, 3_600_000), c => c.SessionTimeout,
            (c, v) => c with { SessionTimeout = v }, "Group session timeout."),
        P("heartbeat.interval.ms", ConfigValues.Milliseconds(1, 3_600_000), c => c.HeartbeatInterval,
            (c, v) => c with { HeartbeatInterval = v }, "Group heartbeat interval."),
        P("max.poll.interval.ms", ConfigValues.Milliseconds(1, 86_400_000), c => c.MaxPollInterval,
            (c, v) => c with { MaxPollInterval = v }, "Longest time between polls."),
        P("enable.auto.commit", ConfigValues.Bool, c => c.EnableAutoCommit, (c, v) => c with { EnableAutoCommit = v },
            "Commit offsets in the background.", "auto.commit.enable"),
        P("auto.commit.interval.ms", ConfigValues.Milliseconds(0, 86_400_000), c => c.AutoCommitInterval,
            (c, v) => c with { AutoCommitInterval = v }, "Auto-commit interval (0: disabled)."),
        P("enable.auto.offset.store", ConfigValues.Bool, c => c.EnableAutoOffsetStore,
            (c, v) => c with { EnableAutoOffsetStore = v }, "Store the offset of each record handed to the application."),
        P("auto.offset.reset", ConfigEnumNames.AutoOffsetReset, c => c.AutoOffsetReset,
            (c, v) => c with { AutoOffsetReset = v }, "Where to start without a valid committed offset."),
        P("isolation.level", ConfigEnumNames.IsolationLevel, c => c.IsolationLevel,
            (c, v) => c with { IsolationLevel = v }, "read_committed or read_uncommitted."),
        P("fetch.min.bytes", ConfigValues.Int(1, 100_000_000), c => c.FetchMinBytes,
            (c, v) => c with { FetchMinBytes = v }, "Least data a fetch response waits for."),
        P("fetch.max.bytes", ConfigValues.Int(0, int.MaxValue - 512), c => c.FetchMaxBytes,
            (c, v) => c with { FetchMaxBytes = v }, "Most data in one fetch response."),
        P("max.partition.fetch.bytes", ConfigValues.Int(1, 1_000_000_000), c => c.MaxPartitionFetchBytes,
            (c, v) => c with { MaxPartitionFetchBytes = v }, "Most data per partition per fetch.",
            "fetch.message.max.bytes"),
        P("fetch.wait.max.ms", ConfigValues.Milliseconds(0, 300_000), c => c.FetchWaitMax,
            (c, v) => c with { FetchWaitMax = v }, "How long the broker may wait for fetch.min.bytes.", "fetch.max.wait.ms"),
        P("queued.max.messages.kbytes", ConfigValues.Int(1, int.MaxValue / 1024), c => c.QueuedMaxMessagesKbytes,
            (c, v) => c with { QueuedMaxMessagesKbytes = v }, "Memory budget of prefetched data, in KiB."),
        P("queued.min.messages", ConfigValues.Int(1, 10_000_000), c => c.QueuedMinMessages,
            (c, v) => c with { QueuedMinMessages = v }, "Records per partition kept prefetched."),
        P("fetch.queue.backoff.ms", ConfigValues.Milliseconds(0, 300_000), c => c.FetchQueueBackoff,
            (c, v) => c with { FetchQueueBackoff = v }, "Fetch postponement once prefetch thresholds are reached."),
        P("enable.partition.eof", ConfigValues.Bool, c => c.EnablePartitionEof,
            (c, v) => c with { EnablePartitionEof = v }, "Report reaching the end of a partition."),
        P("check.crcs", ConfigValues.Bool, c => c.CheckCrcs, (c, v) => c with { CheckCrcs = v },
            "Verify the CRC of fetched batches."),
        P("max.poll.records", ConfigValues.Int(1, int.MaxValue), c => c.MaxPollRecords,
            (c, v) => c with { MaxPollRecords = v }, "Most records one poll returns."),
    ];

    private static ConfigProperty P<T>(
        string name,
        ConfigValue<T> value,
        Func<ConsumerConfig, T> get,
        Func<ConsumerConfig, T, ConsumerConfig> set,
        string description,
        params string[] aliases) =>
        new ConfigProperty<ConsumerConfig, T>(name, aliases, ConfigScope.Consumer, isSecret: false, value, get, set, description);
}
