namespace Samsa;

/// <summary>The producer's properties.</summary>
internal static class ProducerProperties
{
    public static readonly ConfigProperty[] All =
    [
        P("acks", ConfigEnumNames.Acks, c => c.Acks, (c, v) => c with { Acks = v },
            "Acknowledgements required from the broker: 0, 1 or all.", "request.required.acks"),
        P("linger.ms", ConfigValues.Milliseconds(0, 900_000, fractional: true), c => c.Linger,
            (c, v) => c with { Linger = v }, "Time a batch waits for more records.", "queue.buffering.max.ms"),
        P("batch.size", ConfigValues.Int(1, int.MaxValue), c => c.BatchSize, (c, v) => c with { BatchSize = v },
            "Largest batch in bytes."),
        P("batch.num.messages", ConfigValues.Int(1, 1_000_000), c => c.BatchNumMessages,
            (c, v) => c with { BatchNumMessages = v }, "Most records in one batch."),
        P("compression.type", ConfigEnumNames.CompressionType, c => c.CompressionType,
            (c, v) => c with { CompressionType = v }, "Compression codec.", "compression.codec"),
        P("compression.level", ConfigValues.Int(-1, 22), c => c.CompressionLevel,
            (c, v) => c with { CompressionLevel = v }, "Codec level; -1 for the codec's default."),
        P("enable.idempotence", ConfigValues.Bool, c => c.EnableIdempotence,
            (c, v) => c with { EnableIdempotence = v }, "Exactly-once, in-order delivery per partition."),
        P("max.in.flight.requests.per.connection", ConfigValues.Int(1, 1_000_000), c => c.MaxInFlight,
            (c, v) => c with { MaxInFlight = v }, "Requests in flight per broker connection.", "max.in.flight"),
        P("retries", ConfigValues.Int(0, int.MaxValue), c => c.Retries, (c, v) => c with { Retries = v },
            "Retries of a failed batch.", "message.send.max.retries"),
        P("delivery.timeout.ms", ConfigValues.Milliseconds(0, int.MaxValue), c => c.DeliveryTimeout,
            (c, v) => c with { DeliveryTimeout = v }, "Time allowed to deliver a record (0: no limit).",
            "message.timeout.ms"),
        P("queue.buffering.max.messages", ConfigValues.Int(0, int.MaxValue), c => c.QueueBufferingMaxMessages,
            (c, v) => c with { QueueBufferingMaxMessages = v }, "Most records waiting to be sent (0: no limit)."),
        P("queue.buffering.max.kbytes", ConfigValues.Int(1, int.MaxValue), c => c.QueueBufferingMaxKbytes,
            (c, v) => c with { QueueBufferingMaxKbytes = v }, "Most record data waiting to be sent, in KiB."),
        P("message.max.bytes", ConfigValues.Int(1000, 1_000_000_000), c => c.MessageMaxBytes,
            (c, v) => c with { MessageMaxBytes = v }, "Largest produce request."),
        P("partitioner", ConfigEnumNames.Partitioner, c => c.Partitioner, (c, v) => c with { Partitioner = v },
            "Partitioner for records without a partition."),
        P("sticky.partitioning.linger.ms", ConfigValues.Milliseconds(0, 900_000), c => c.StickyPartitioningLinger,
            (c, v) => c with { StickyPartitioningLinger = v }, "Time keyless records stick to one partition."),
        P("transactional.id", ConfigValues.OptionalText(), c => c.TransactionalId,
            (c, v) => c with { TransactionalId = v }, "Transactional id (transactions are not supported)."),
        P("topic.metadata.propagation.max.ms", ConfigValues.Milliseconds(0, 3_600_000), c => c.TopicMetadataPropagationMax,
            (c, v) => c with { TopicMetadataPropagationMax = v }, "How long to wait for a topic to appear before failing its records."),
        P("enable.gapless.guarantee", ConfigValues.Bool, c => c.EnableGaplessGuarantee,
            (c, v) => c with { EnableGaplessGuarantee = v }, "Fail rather than leave a gap after a failed batch."),
    ];

    private static ConfigProperty P<T>(
        string name,
        ConfigValue<T> value,
        Func<ProducerConfig, T> get,
        Func<ProducerConfig, T, ProducerConfig> set,
        string description,
        params string[] aliases) =>
        new ConfigProperty<ProducerConfig, T>(name, aliases, ConfigScope.Producer, isSecret: false, value, get, set, description);
}
