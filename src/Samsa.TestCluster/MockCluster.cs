using System.Runtime.InteropServices;
using Samsa.TestCluster.Native;

namespace Samsa.TestCluster;

/// <summary>
/// librdkafka's mock Kafka cluster, in this process. Brokers listen on 127.0.0.1 with ids 1..N.
/// Every method is thread-safe; calls are serialized. The mock aborts its process on some malformed requests,
/// so tests run it in a separate host process (see Program); the CLI may run it in-process.
/// </summary>
public sealed unsafe partial class MockCluster : IDisposable
{
    /// <summary>Most brokers one cluster may have (each is a listening socket and a connection set).</summary>
    public const int MaxBrokers = 64;

    /// <summary>
    /// Version caps applied to every cluster at creation, so that a client's normal version negotiation picks
    /// versions the mock implements correctly. A MaxVersion of -1 makes the mock stop advertising the API in
    /// ApiVersions and close the connection of any request for it (its version check fails for every version).
    /// The telemetry APIs are off because the mock's PushTelemetry handler spins forever on compressed
    /// payloads and freezes every broker.
    /// </summary>
    public static IReadOnlyList<MockApiVersion> DefaultVersionCaps { get; } =
    [
        new(11, 0, 5),   // JoinGroup
        new(14, 0, 3),   // SyncGroup
        new(13, 0, 2),   // LeaveGroup
        new(18, 0, 2),   // ApiVersions
        new(71, -1, -1), // GetTelemetrySubscriptions
        new(72, -1, -1), // PushTelemetry
    ];

    private readonly Lock _gate = new();
    private nint _rk;
    private nint _mcluster;

    private MockCluster(nint rk, nint mcluster, int brokerCount)
    {
        _rk = rk;
        _mcluster = mcluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(RdKafkaMock.ClusterBootstraps(mcluster)) ?? "";
        BrokerAddresses = BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Number of brokers (ids 1..BrokerCount).</summary>
    public int BrokerCount { get; }

    /// <summary>Comma-separated host:port list of every broker, in broker id order.</summary>
    public string BootstrapServers { get; }

    /// <summary>Each broker's listening host:port; index 0 is broker 1.</summary>
    public IReadOnlyList<string> BrokerAddresses { get; }

    /// <summary>The librdkafka file loaded for the mock.</summary>
    public static string? LibraryPath => NativeLoader.LoadedPath;

    /// <summary>librdkafka's version string, e.g. 2.16.0 (loads the library).</summary>
    public static string LibrdkafkaVersion
    {
        get
        {
            NativeLoader.EnsureLoaded();
            return Marshal.PtrToStringUTF8(RdKafkaMock.VersionStr()) ?? "";
        }
    }

    /// <summary>Creates a cluster of <paramref name="brokerCount"/> brokers and applies <see cref="DefaultVersionCaps"/>.</summary>
    /// <param name="brokerCount">1..<see cref="MaxBrokers"/>.</param>
    /// <param name="properties">librdkafka properties for the handle that owns the mock (e.g. debug=mock, log_level=3).</param>
    /// <exception cref="MockClusterException">librdkafka refused a property or the cluster could not start.</exception>
    public static MockCluster Create(int brokerCount, IEnumerable<KeyValuePair<string, string>>? properties = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerCount, MaxBrokers);
        NativeLoader.EnsureLoaded();

        const int errSize = 512;
        byte* errstr = stackalloc byte[errSize];
        nint conf = RdKafkaMock.ConfNew();
        var all = new List<KeyValuePair<string, string>>(properties ?? []);
        if (!all.Exists(p => p.Key is "log_level" or "debug"))
        {
            // Hide the notice that the owning handle has no bootstrap.servers; warnings and the mock's
            // errors (e.g. "unsupported request version") still reach stderr.
            all.Insert(0, new("log_level", "4"));
        }

        foreach (KeyValuePair<string, string> property in all)
        {
            if (RdKafkaMock.ConfSet(conf, property.Key, property.Value, errstr, errSize) != 0)
            {
                RdKafkaMock.ConfDestroy(conf);
                throw new MockClusterException(
                    $"librdkafka refused property {property.Key}={property.Value}: {Utf8(errstr)}");
            }
        }

        // The mock cluster needs an rd_kafka_t to own its thread; a producer handle with no brokers is inert.
        nint rk = RdKafkaMock.KafkaNew(RdKafkaMock.ProducerType, conf, errstr, errSize);
        if (rk == 0)
        {
            RdKafkaMock.ConfDestroy(conf);
            throw new MockClusterException($"rd_kafka_new failed: {Utf8(errstr)}");
        }

        nint mcluster = RdKafkaMock.ClusterNew(rk, brokerCount);
        if (mcluster == 0)
        {
            RdKafkaMock.KafkaDestroy(rk);
            throw new MockClusterException(
                $"rd_kafka_mock_cluster_new({brokerCount}) failed (could not open listeners?); see librdkafka's log on stderr.");
        }

        var cluster = new MockCluster(rk, mcluster, brokerCount);
        try
        {
            foreach (MockApiVersion cap in DefaultVersionCaps)
            {
                cluster.SetApiVersion(cap.ApiKey, cap.MinVersion, cap.MaxVersion);
            }
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        return cluster;
    }

    /// <summary>Creates a topic. Replication is capped by the mock to the broker count.</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ValidateTopic(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, 100_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        lock (_gate)
        {
            Check(RdKafkaMock.TopicCreate(Handle, name, partitions, replicationFactor), "create topic " + name);
        }
    }

    /// <summary>Deletes a topic.</summary>
    public void DeleteTopic(string name)
    {
        ValidateTopic(name);
        lock (_gate)
        {
            Check(RdKafkaMock.TopicDelete(Handle, name), "delete topic " + name);
        }
    }

    /// <summary>Makes Metadata report <paramref name="errorCode"/> for the topic (0 clears it).</summary>
    public void SetTopicError(string topic, int errorCode)
    {
        ValidateTopic(topic);
        lock (_gate)
        {
            RdKafkaMock.TopicSetError(Handle, topic, errorCode);
        }
    }

    /// <summary>Disconnects the broker's clients; its port then refuses connections until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId)
    {
        ValidateBroker(brokerId);
        lock (_gate)
        {
            Check(RdKafkaMock.BrokerSetDown(Handle, brokerId), $"broker {brokerId} down");
        }
    }

    /// <summary>Lets the broker accept connections again, on the same port.</summary>
    public void SetBrokerUp(int brokerId)
    {
        ValidateBroker(brokerId);
        lock (_gate)
        {
            Check(RdKafkaMock.BrokerSetUp(Handle, brokerId), $"broker {brokerId} up");
        }
    }

    /// <summary>Delays every response of the broker by <paramref name="rttMs"/> milliseconds.</summary>
    public void SetBrokerRtt(int brokerId, int rttMs)
    {
        ValidateBroker(brokerId);
        ArgumentOutOfRangeException.ThrowIfNegative(rttMs);
        lock (_gate)
        {
            Check(RdKafkaMock.BrokerSetRtt(Handle, brokerId, rttMs), $"broker {brokerId} rtt");
        }
    }

    /// <summary>Sets the broker's rack. The mock cannot clear a rack (it crashes on a null one).</summary>
    public void SetBrokerRack(int brokerId, string rack)
    {
        ValidateBroker(brokerId);
        ArgumentException.ThrowIfNullOrEmpty(rack);
        lock (_gate)
        {
            Check(RdKafkaMock.BrokerSetRack(Handle, brokerId, rack), $"broker {brokerId} rack");
        }
    }

    /// <summary>
    /// Changes the host and port the broker advertises in Metadata (not where it listens): lets a proxy sit
    /// between clients and the broker.
    /// </summary>
    public void SetBrokerHostPort(int brokerId, string host, int port)
    {
        ValidateBroker(brokerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (host.Length > 120)
        {
            throw new ArgumentException("Host names longer than 120 characters do not fit the mock's buffer.", nameof(host));
        }

        lock (_gate)
        {
            RdKafkaMock.BrokerSetHostPort(Handle, brokerId, host, port);
        }
    }

    /// <summary>Sets the coordinator broker for a key; <paramref name="keyType"/> is "group" or "transaction".</summary>
    public void SetCoordinator(string keyType, string key, int brokerId)
    {
        if (keyType is not ("group" or "transaction"))
        {
            throw new ArgumentException($"Coordinator key type must be 'group' or 'transaction', not '{keyType}'.", nameof(keyType));
        }

        ArgumentException.ThrowIfNullOrEmpty(key);
        ValidateBroker(brokerId);
        lock (_gate)
        {
            Check(RdKafkaMock.CoordinatorSet(Handle, keyType, key, brokerId), $"{keyType} coordinator for {key}");
        }
    }

    /// <summary>Sets how long a new group waits for more members before its first rebalance (default 3000 ms).</summary>
    public void SetGroupInitialRebalanceDelay(int delayMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayMs);
        lock (_gate)
        {
            RdKafkaMock.GroupInitialRebalanceDelayMs(Handle, delayMs);
        }
    }

    /// <summary>Sets the version range served for an API; -1/-1 disables it (see <see cref="DefaultVersionCaps"/>).</summary>
    public void SetApiVersion(short apiKey, short minVersion, short maxVersion)
    {
        if (maxVersion != -1 && (minVersion < 0 || minVersion > maxVersion))
        {
            throw new ArgumentException($"Version range {minVersion}..{maxVersion} for API {apiKey} is invalid (use -1 -1 to disable).");
        }

        lock (_gate)
        {
            Check(RdKafkaMock.SetApiVersion(Handle, apiKey, minVersion, maxVersion), $"api version of {apiKey}");
        }
    }

    /// <summary>Sets the controller id Metadata reports (-1: none).</summary>
    public void SetControllerId(int brokerId)
    {
        if (brokerId != -1)
        {
            ValidateBroker(brokerId);
        }

        lock (_gate)
        {
            RdKafkaMock.SetControllerId(Handle, brokerId);
        }
    }

    private nint Handle => _mcluster != 0 ? _mcluster : throw new ObjectDisposedException(nameof(MockCluster));

    private static void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new MockClusterException(err, MockErrors.Name(err), $"{what} failed: {MockErrors.Describe(err)}");
        }
    }

    private void ValidateBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"Broker ids run from 1 to {BrokerCount}.");
        }
    }

    private static void ValidateTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (topic.Length > 249)
        {
            throw new ArgumentException("Topic names are at most 249 characters.", nameof(topic));
        }
    }

    private static string Utf8(byte* s) => Marshal.PtrToStringUTF8((nint)s) ?? "";

    /// <summary>Destroys the cluster (closing every broker) and the librdkafka handle.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_mcluster != 0)
            {
                RdKafkaMock.ClusterDestroy(_mcluster);
                _mcluster = 0;
            }

            if (_rk != 0)
            {
                RdKafkaMock.KafkaDestroy(_rk);
                _rk = 0;
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"MockCluster({BrokerCount} brokers: {BootstrapServers})";
}
