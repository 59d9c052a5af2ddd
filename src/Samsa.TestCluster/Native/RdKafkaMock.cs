using System.Runtime.InteropServices;

namespace Samsa.TestCluster.Native;

/// <summary>
/// Source-generated P/Invoke declarations for the parts of librdkafka (rdkafka.h, rdkafka_mock.h) the mock
/// cluster needs. The library name is logical: <see cref="NativeLoader"/> resolves it to an explicit path.
/// Functions that return <c>const char*</c> return <see cref="nint"/>: a string return would make the marshaller
/// free memory librdkafka owns.
/// </summary>
internal static unsafe partial class RdKafkaMock
{
    internal const string Library = "samsa-mock-librdkafka";

    internal const int ProducerType = 0; // RD_KAFKA_PRODUCER

    [StructLayout(LayoutKind.Sequential)]
    internal struct ErrDesc
    {
        public int Code;
        public nint Name;
        public nint Desc;
    }

    [LibraryImport(Library, EntryPoint = "rd_kafka_version_str")]
    internal static partial nint VersionStr();

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2name")]
    internal static partial nint Err2Name(int err);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    internal static partial nint Err2Str(int err);

    [LibraryImport(Library, EntryPoint = "rd_kafka_get_err_descs")]
    internal static partial void GetErrDescs(ErrDesc** descs, nuint* count);

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    internal static partial nint ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    internal static partial void ConfDestroy(nint conf);

    /// <returns>RD_KAFKA_CONF_OK (0) on success.</returns>
    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(nint conf, string name, string value, byte* errstr, nuint errstrSize);

    /// <remarks>Takes ownership of <paramref name="conf"/> on success only.</remarks>
    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    internal static partial nint KafkaNew(int type, nint conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    internal static partial void KafkaDestroy(nint rk);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial nint ClusterNew(nint rk, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void ClusterDestroy(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial nint ClusterBootstraps(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicCreate(nint mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_delete", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicDelete(nint mcluster, string topic);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void TopicSetError(nint mcluster, string topic, int err);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int BrokerSetDown(nint mcluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int BrokerSetUp(nint mcluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    internal static partial int BrokerSetRtt(nint mcluster, int brokerId, int rttMs);

    /// <remarks>Never pass NULL: the mock strdup()s the rack unchecked and crashes.</remarks>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_rack", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BrokerSetRack(nint mcluster, int brokerId, string rack);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_host_port", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BrokerSetHostPort(nint mcluster, int brokerId, string host, int port);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartitionSetLeader(nint mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_set_follower", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartitionSetFollower(nint mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_set_follower_wmarks", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartitionSetFollowerWmarks(nint mcluster, string topic, int partition, long lo, long hi);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_delete_records", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartitionDeleteRecords(nint mcluster, string topic, int partition, long beforeOffset);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    internal static partial void PushRequestErrorsArray(nint mcluster, short apiKey, nuint count, int* errors);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    internal static partial void ClearRequestErrors(nint mcluster, short apiKey);

    /// <remarks>
    /// The C function is variadic (cnt pairs of int error, int rtt_ms). It is only ever called here with
    /// cnt = 1, so the pair travels in the fifth and sixth integer argument registers, exactly where a variadic
    /// call puts them on x86-64 SysV and AArch64 Linux; no floating-point arguments are involved.
    /// </remarks>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_push_request_error_rtts")]
    internal static partial int BrokerPushRequestErrorRtt(nint mcluster, int brokerId, short apiKey, nuint one, int err, int rttMs);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_error_stack_cnt")]
    internal static partial int BrokerErrorStackCount(nint mcluster, int brokerId, short apiKey, nuint* count);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_coordinator_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int CoordinatorSet(nint mcluster, string keyType, string key, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    internal static partial void GroupInitialRebalanceDelayMs(nint mcluster, int delayMs);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_set_apiversion")]
    internal static partial int SetApiVersion(nint mcluster, short apiKey, short minVersion, short maxVersion);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_set_controller_id")]
    internal static partial void SetControllerId(nint mcluster, int controllerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_start_request_tracking")]
    internal static partial void StartRequestTracking(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_stop_request_tracking")]
    internal static partial void StopRequestTracking(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_clear_requests")]
    internal static partial void ClearRequests(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_get_requests")]
    internal static partial nint* GetRequests(nint mcluster, nuint* count);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_request_destroy_array")]
    internal static partial void RequestDestroyArray(nint* requests, nuint count);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_request_id")]
    internal static partial int RequestBrokerId(nint request);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_request_api_key")]
    internal static partial short RequestApiKey(nint request);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_request_timestamp")]
    internal static partial long RequestTimestamp(nint request);
}
