using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Clients;
using Samsa.Native.Interop;

namespace Samsa.Native.Exports;

/// <summary>The admin client: samsa_admin_new, samsa_admin_create_topics, _delete_topics, _list_topics, _list_groups, samsa_admin_destroy.</summary>
[CCallback("samsa_topic_cb", "void (*samsa_topic_cb)(const char *topic, int is_internal, void *opaque)",
    "Receives one topic of samsa_admin_list_topics(); the name is valid during the call only.")]
[CCallback("samsa_group_cb", "void (*samsa_group_cb)(const char *group_id, const char *state, const char *protocol_type, int32_t coordinator_id, void *opaque)",
    "Receives one group of samsa_admin_list_groups(); the strings are valid during the call only (state is \"\" for brokers before Kafka 2.6).")]
internal static unsafe class AdminExports
{
    private const string ItemResults = "SAMSA_OK when every topic succeeded. Otherwise the first failed topic's error (e.g. SAMSA_ERR_TOPIC_ALREADY_EXISTS, SAMSA_ERR_UNKNOWN_TOPIC_OR_PARTITION, SAMSA_ERR_UNSUPPORTED_VERSION when the cluster lacks the API), each topic's error in errors[i] (when errors is not NULL; 0 for success) and every failure named in samsa_last_errstr(). SAMSA_ERR_INVALID_ARG for NULL or destroyed arguments.";

    [CExport("Creates an admin client from a conf (bootstrap.servers is required). Calls on it block until the cluster answered or timeout_ms passed; requests go to the controller or to every broker as the protocol wants, and are retried when the controller moves.",
        Ownership = "On success the admin client takes the conf (do not use or destroy it afterwards); on failure the caller still owns it.",
        Threading = "Any thread.",
        Returns = "The admin client, or NULL with the reason in errstr (may be NULL; NUL-terminated, cut to errstr_size) and in samsa_last_errstr().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_admin_new")]
    public static SamsaAdmin* SamsaAdminNew(SamsaConf* conf, [CType("char *")] byte* errstr, nuint errstr_size)
    {
        try
        {
            if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c)
            {
                Errors.Set(Errors.InvalidArg, "Invalid argument: conf is NULL or destroyed.", errstr, errstr_size);
                return null;
            }

            NativeAdmin admin = NativeAdmin.Create(c);
            HandleTable.Remove<NativeConf>((nint)conf, HandleKind.Conf);
            Errors.Clear();
            return (SamsaAdmin*)HandleTable.Add(HandleKind.Admin, admin);
        }
        catch (Exception e)
        {
            Errors.From(e, errstr, errstr_size);
            return null;
        }
    }

    [CExport("Creates topic_cnt topics, each with partitions partitions and replication_factor replicas (-1 for the broker's default of either, Kafka 2.4+). Waits for the controller's answer, up to timeout_ms (0 or less: the conf's request.timeout.ms).",
        Ownership = "The caller keeps the names and the errors array (topic_cnt entries).",
        Threading = "Thread-safe.",
        Returns = ItemResults)]
    [UnmanagedCallersOnly(EntryPoint = "samsa_admin_create_topics")]
    public static int SamsaAdminCreateTopics(SamsaAdmin* admin, [CType("const char *const *")] byte** topics, nuint topic_cnt,
        [CType("int32_t")] int partitions, [CType("int32_t")] int replication_factor, [CType("int32_t")] int timeout_ms, [CType("int32_t *")] int* errors)
    {
        try
        {
            return HandleTable.Get<NativeAdmin>((nint)admin, HandleKind.Admin) is { } a
                ? a.CreateTopics(topics, topic_cnt, partitions, replication_factor, timeout_ms, errors)
                : Errors.Invalid("admin is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Deletes topic_cnt topics, waiting up to timeout_ms (0 or less: the conf's request.timeout.ms).",
        Ownership = "The caller keeps the names and the errors array (topic_cnt entries).",
        Threading = "Thread-safe.",
        Returns = ItemResults)]
    [UnmanagedCallersOnly(EntryPoint = "samsa_admin_delete_topics")]
    public static int SamsaAdminDeleteTopics(SamsaAdmin* admin, [CType("const char *const *")] byte** topics, nuint topic_cnt,
        [CType("int32_t")] int timeout_ms, [CType("int32_t *")] int* errors)
    {
        try
        {
            return HandleTable.Get<NativeAdmin>((nint)admin, HandleKind.Admin) is { } a
                ? a.DeleteTopics(topics, topic_cnt, timeout_ms, errors)
                : Errors.Invalid("admin is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Calls cb once per topic of the cluster (internal ones included), sorted by name, on the calling thread.",
        Threading = "Thread-safe; cb runs on the calling thread before this returns.",
        Returns = "SAMSA_OK, or the error that prevented listing (SAMSA_ERR_TIMED_OUT, SAMSA_ERR_ALL_BROKERS_DOWN...); SAMSA_ERR_INVALID_ARG for a NULL admin or cb.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_admin_list_topics")]
    public static int SamsaAdminListTopics(SamsaAdmin* admin, [CType("int32_t")] int timeout_ms,
        [CType("samsa_topic_cb")] delegate* unmanaged<byte*, int, void*, void> cb, void* opaque)
    {
        try
        {
            if (cb is null)
            {
                return Errors.Invalid("cb is NULL");
            }

            return HandleTable.Get<NativeAdmin>((nint)admin, HandleKind.Admin) is { } a
                ? a.ListTopics(timeout_ms, cb, opaque)
                : Errors.Invalid("admin is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Calls cb once per consumer group of the cluster (ListGroups to every broker, merged, sorted by id), on the calling thread.",
        Threading = "Thread-safe; cb runs on the calling thread before this returns.",
        Returns = "SAMSA_OK; or, when some brokers could not list their groups, the first such error (cb still got the other brokers' groups; samsa_last_errstr() names each broker's failure); SAMSA_ERR_INVALID_ARG for a NULL admin or cb.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_admin_list_groups")]
    public static int SamsaAdminListGroups(SamsaAdmin* admin, [CType("int32_t")] int timeout_ms,
        [CType("samsa_group_cb")] delegate* unmanaged<byte*, byte*, byte*, int, void*, void> cb, void* opaque)
    {
        try
        {
            if (cb is null)
            {
                return Errors.Invalid("cb is NULL");
            }

            return HandleTable.Get<NativeAdmin>((nint)admin, HandleKind.Admin) is { } a
                ? a.ListGroups(timeout_ms, cb, opaque)
                : Errors.Invalid("admin is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Closes the admin client and frees it. NULL or an already destroyed admin client is ignored; any later call with this handle returns SAMSA_ERR_INVALID_ARG.",
        Threading = "Not concurrently with other calls on the same admin client.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_admin_destroy")]
    public static void SamsaAdminDestroy(SamsaAdmin* admin)
    {
        try
        {
            HandleTable.Remove<NativeAdmin>((nint)admin, HandleKind.Admin)?.Dispose();
        }
        catch (Exception e)
        {
            Errors.From(e);
        }
    }
}
