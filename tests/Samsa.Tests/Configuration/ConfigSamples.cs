using Samsa.Compression;

namespace Samsa.Tests.Configuration;

/// <summary>
/// One non-default value for every property: the string to set, the string ToProperties must show (secrets:
/// "[redacted]"), and the typed value the record must then hold.
/// </summary>
internal sealed record ConfigSample(ClientKind Kind, string Value, string Shown, Func<ClientConfig, object?> Typed, object? Expected);

internal static class ConfigSamples
{
    private static ConfigSample C(string value, Func<ClientConfig, object?> typed, object? expected, string? shown = null) =>
        new(ClientKind.Producer, value, shown ?? value, typed, expected);

    private static ConfigSample P(string value, Func<ProducerConfig, object?> typed, object? expected, string? shown = null) =>
        new(ClientKind.Producer, value, shown ?? value, c => typed((ProducerConfig)c), expected);

    private static ConfigSample K(string value, Func<ConsumerConfig, object?> typed, object? expected, string? shown = null) =>
        new(ClientKind.Consumer, value, shown ?? value, c => typed((ConsumerConfig)c), expected);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    public static readonly Dictionary<string, ConfigSample> ByName = new(StringComparer.Ordinal)
    {
        ["bootstrap.servers"] = C("b1:9093,b2", c => c.BootstrapServers, "b1:9093,b2"),
        ["client.id"] = C("app", c => c.ClientId, "app"),
        ["client.rack"] = C("rack-1", c => c.ClientRack, "rack-1"),
        ["request.timeout.ms"] = C("1234", c => c.RequestTimeout, Ms(1234)),
        ["metadata.max.age.ms"] = C("60000", c => c.MetadataMaxAge, Ms(60000)),
        ["retry.backoff.ms"] = C("250", c => c.RetryBackoff, Ms(250)),
        ["retry.backoff.max.ms"] = C("2000", c => c.RetryBackoffMax, Ms(2000)),
        ["reconnect.backoff.ms"] = C("50", c => c.ReconnectBackoff, Ms(50)),
        ["reconnect.backoff.max.ms"] = C("20000", c => c.ReconnectBackoffMax, Ms(20000)),
        ["socket.connection.setup.timeout.ms"] = C("5000", c => c.SocketConnectionSetupTimeout, Ms(5000)),
        ["socket.send.buffer.bytes"] = C("65536", c => c.SocketSendBufferBytes, 65536),
        ["socket.receive.buffer.bytes"] = C("131072", c => c.SocketReceiveBufferBytes, 131072),
        ["receive.message.max.bytes"] = C("200000000", c => c.ReceiveMessageMaxBytes, 200_000_000),
        ["allow.auto.create.topics"] = C("false", c => c.AllowAutoCreateTopics, false),
        ["security.protocol"] = C("SASL_SSL", c => c.SecurityProtocol, SecurityProtocol.SaslSsl, "sasl_ssl"),
        ["ssl.ca.location"] = C("/etc/ca.pem", c => c.SslCaLocation, "/etc/ca.pem"),
        ["ssl.ca.pem"] = C("CA-PEM", c => c.SslCaPem, "CA-PEM"),
        ["ssl.certificate.location"] = C("/etc/cert.pem", c => c.SslCertificateLocation, "/etc/cert.pem"),
        ["ssl.certificate.pem"] = C("CERT-PEM", c => c.SslCertificatePem, "CERT-PEM"),
        ["ssl.key.location"] = C("/etc/key.pem", c => c.SslKeyLocation, "/etc/key.pem"),
        ["ssl.key.pem"] = C("KEY-PEM-SECRET", c => c.SslKeyPem, "KEY-PEM-SECRET", "[redacted]"),
        ["ssl.key.password"] = C("key-pass-secret", c => c.SslKeyPassword, "key-pass-secret", "[redacted]"),
        ["ssl.endpoint.identification.algorithm"] = C("none", c => c.SslEndpointIdentificationAlgorithm, SslEndpointIdentification.None),
        ["enable.ssl.certificate.verification"] = C("false", c => c.EnableSslCertificateVerification, false),
        ["sasl.mechanism"] = C("scram-sha-512", c => c.SaslMechanism, SaslMechanism.ScramSha512, "SCRAM-SHA-512"),
        ["sasl.username"] = C("alice", c => c.SaslUsername, "alice"),
        ["sasl.password"] = C("sasl-pass-secret", c => c.SaslPassword, "sasl-pass-secret", "[redacted]"),
        ["sasl.oauthbearer.config"] = C("principal=admin", c => c.SaslOAuthBearerConfig, "principal=admin", "[redacted]"),
        ["debug"] = C("broker,topic", c => c.Debug, "broker,topic"),
        ["log_level"] = C("7", c => c.LogLevel, 7),
        ["statistics.interval.ms"] = C("1000", c => c.StatisticsInterval, Ms(1000)),

        ["acks"] = P("1", c => c.Acks, Acks.Leader),
        ["linger.ms"] = P("20", c => c.Linger, Ms(20)),
        ["batch.size"] = P("16384", c => c.BatchSize, 16384),
        ["batch.num.messages"] = P("500", c => c.BatchNumMessages, 500),
        ["compression.type"] = P("ZSTD", c => c.CompressionType, CompressionType.Zstd, "zstd"),
        ["compression.level"] = P("3", c => c.CompressionLevel, 3),
        ["enable.idempotence"] = P("false", c => c.EnableIdempotence, false),
        ["max.in.flight.requests.per.connection"] = P("3", c => c.MaxInFlight, 3),
        ["retries"] = P("7", c => c.Retries, 7),
        ["delivery.timeout.ms"] = P("120000", c => c.DeliveryTimeout, Ms(120000)),
        ["queue.buffering.max.messages"] = P("1000", c => c.QueueBufferingMaxMessages, 1000),
        ["queue.buffering.max.kbytes"] = P("2048", c => c.QueueBufferingMaxKbytes, 2048),
        ["message.max.bytes"] = P("2000000", c => c.MessageMaxBytes, 2_000_000),
        ["partitioner"] = P("fnv1a", c => c.Partitioner, Partitioner.Fnv1a),
        ["sticky.partitioning.linger.ms"] = P("0", c => c.StickyPartitioningLinger, TimeSpan.Zero),
        ["topic.metadata.propagation.max.ms"] = P("1500", c => c.TopicMetadataPropagationMax, TimeSpan.FromMilliseconds(1500)),
        ["transactional.id"] = P("tx-1", c => c.TransactionalId, "tx-1"),
        ["enable.gapless.guarantee"] = P("true", c => c.EnableGaplessGuarantee, true),

        ["group.id"] = K("group-1", c => c.GroupId, "group-1"),
        ["group.instance.id"] = K("instance-1", c => c.GroupInstanceId, "instance-1"),
        ["group.protocol"] = K("consumer", c => c.GroupProtocol, GroupProtocol.Consumer),
        ["group.remote.assignor"] = K("uniform", c => c.GroupRemoteAssignor, "uniform"),
        ["partition.assignment.strategy"] = K(
            "cooperative-sticky", c => string.Join(",", c.PartitionAssignmentStrategies), "CooperativeSticky"),
        ["session.timeout.ms"] = K("10000", c => c.SessionTimeout, Ms(10000)),
        ["heartbeat.interval.ms"] = K("1000", c => c.HeartbeatInterval, Ms(1000)),
        ["max.poll.interval.ms"] = K("600000", c => c.MaxPollInterval, Ms(600000)),
        ["enable.auto.commit"] = K("false", c => c.EnableAutoCommit, false),
        ["auto.commit.interval.ms"] = K("1000", c => c.AutoCommitInterval, Ms(1000)),
        ["enable.auto.offset.store"] = K("false", c => c.EnableAutoOffsetStore, false),
        ["auto.offset.reset"] = K("earliest", c => c.AutoOffsetReset, AutoOffsetReset.Earliest),
        ["isolation.level"] = K("read_uncommitted", c => c.IsolationLevel, IsolationLevel.ReadUncommitted),
        ["fetch.min.bytes"] = K("1024", c => c.FetchMinBytes, 1024),
        ["fetch.max.bytes"] = K("1000000", c => c.FetchMaxBytes, 1_000_000),
        ["max.partition.fetch.bytes"] = K("2097152", c => c.MaxPartitionFetchBytes, 2_097_152),
        ["fetch.wait.max.ms"] = K("100", c => c.FetchWaitMax, Ms(100)),
        ["queued.max.messages.kbytes"] = K("1024", c => c.QueuedMaxMessagesKbytes, 1024),
        ["queued.min.messages"] = K("10", c => c.QueuedMinMessages, 10),
        ["fetch.queue.backoff.ms"] = K("50", c => c.FetchQueueBackoff, Ms(50)),
        ["enable.partition.eof"] = K("true", c => c.EnablePartitionEof, true),
        ["check.crcs"] = K("true", c => c.CheckCrcs, true),
        ["max.poll.records"] = K("100", c => c.MaxPollRecords, 100),
    };

    public static ClientConfig New(ClientKind kind) => kind switch
    {
        ClientKind.Producer => new ProducerConfig(),
        ClientKind.Consumer => new ConsumerConfig(),
        _ => new AdminConfig(),
    };

    /// <summary>A producer configuration that passes Validate.</summary>
    public static ProducerConfig Producer() => new() { BootstrapServers = "localhost:9092" };

    /// <summary>A consumer configuration that passes Validate.</summary>
    public static ConsumerConfig Consumer() => new() { BootstrapServers = "localhost:9092", GroupId = "g" };
}
