using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Clients;
using Samsa.Native.Interop;

namespace Samsa.Native.Exports;

[CCallback("samsa_delivery_cb", "void (*samsa_delivery_cb)(const samsa_delivery_t *report, void *opaque)",
    "Called once per produced message, inside samsa_poll() or samsa_flush() on the caller's thread. The report and its strings are valid only during the call.")]
[CCallback("samsa_log_cb", "void (*samsa_log_cb)(int level, const char *fac, const char *msg, void *opaque)",
    "Receives the client's log lines: level is a syslog level (SAMSA_LOG_ERR..SAMSA_LOG_DEBUG), fac the component. Called inside samsa_poll(), samsa_flush() or samsa_consumer_poll() on the caller's thread; the strings are valid only during the call.")]
[CCallback("samsa_rebalance_cb", "void (*samsa_rebalance_cb)(samsa_consumer_t *consumer, int event, const samsa_topic_partition_t *partitions, size_t partition_cnt, void *opaque)",
    "Tells a consumer's application that partitions were assigned, revoked or lost (event is SAMSA_REBALANCE_ASSIGNED, _REVOKED or _LOST). The consumer applies the change itself; the callback may commit (on revoke) or record positions. Called inside samsa_consumer_poll() (revocations also inside samsa_consumer_close(), samsa_consumer_unsubscribe() and samsa_consumer_assign()) on the caller's thread; the array is valid only during the call. It may call samsa_consumer_commit(), _assign(), _seek(), _position(), _committed(), but not _poll(), _close() or _destroy().")]
internal static unsafe class ConfExports
{
    [CExport("Creates an empty configuration (every property at its default).",
        Ownership = "The caller owns the conf: free it with samsa_conf_destroy(), unless a samsa_producer_new() or samsa_consumer_new() took it.",
        Threading = "Any thread.", Returns = "The conf; never NULL.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_new")]
    public static SamsaConf* SamsaConfNew() => (SamsaConf*)HandleTable.Add(HandleKind.Conf, new NativeConf());

    [CExport("Sets a property by its librdkafka or Java name (\"bootstrap.servers\", \"linger.ms\", ...), checking the name and the value at once. Producer and consumer properties go in the same conf; each client ignores (with a logged warning) the other's.",
        Ownership = "name and value are copied.",
        Threading = "Not concurrently with other calls on the same conf.",
        Returns = "SAMSA_OK; SAMSA_ERR_INVALID_ARG for an unknown property (errstr suggests the closest name), a value it does not accept (errstr says what it accepts) or a NULL argument. errstr (may be NULL) receives the reason, NUL-terminated, cut to errstr_size.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_set")]
    public static int SamsaConfSet(SamsaConf* conf, [CType("const char *")] byte* name, [CType("const char *")] byte* value,
        [CType("char *")] byte* errstr, nuint errstr_size)
    {
        try
        {
            if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c)
            {
                return Errors.Set(Errors.InvalidArg, "Invalid argument: conf is NULL or destroyed.", errstr, errstr_size);
            }

            if (name is null || value is null)
            {
                return Errors.Set(Errors.InvalidArg, "Invalid argument: name and value must not be NULL.", errstr, errstr_size);
            }

            c.Set(Utf8.Decode(name, "property name"), Utf8.Decode(value, "property value"));
            Errors.Clear();
            return Errors.Ok;
        }
        catch (Exception e)
        {
            return Errors.From(e, errstr, errstr_size);
        }
    }

    [CExport("Reads back a property set on the conf (by any of its names). With dest NULL, only *dest_size is set: the size needed, NUL included.",
        Ownership = "The value is copied into dest (NUL-terminated) when *dest_size is large enough; *dest_size always receives the size needed.",
        Threading = "Not concurrently with samsa_conf_set() on the same conf.",
        Returns = "SAMSA_OK; SAMSA_ERR_NOENT when the property was not set (defaults are not reported); SAMSA_ERR_INVALID_ARG for NULL arguments or a dest smaller than needed.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_get")]
    public static int SamsaConfGet([CType("const samsa_conf_t *")] SamsaConf* conf, [CType("const char *")] byte* name,
        [CType("char *")] byte* dest, nuint* dest_size)
    {
        try
        {
            if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c || name is null || dest_size is null)
            {
                return Errors.Invalid("conf, name and dest_size must be live and not NULL");
            }

            if (c.Get(Utf8.Decode(name, "property name")) is not { } value)
            {
                return Errors.Set((int)ErrorCode.LocalNoent, "The property is not set.");
            }

            nuint needed = (nuint)System.Text.Encoding.UTF8.GetByteCount(value) + 1;
            nuint room = *dest_size;
            *dest_size = needed;
            if (dest is null)
            {
                return Errors.Ok;
            }

            if (room < needed)
            {
                return Errors.Invalid($"dest holds {room} bytes, {needed} are needed");
            }

            Utf8.CopyTo(value, dest, needed);
            return Errors.Ok;
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Copies a conf: properties and callbacks.",
        Ownership = "The caller owns the copy.", Threading = "Not concurrently with samsa_conf_set() on the same conf.",
        Returns = "The copy, or NULL when conf is NULL or destroyed.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_dup")]
    public static SamsaConf* SamsaConfDup([CType("const samsa_conf_t *")] SamsaConf* conf)
    {
        try
        {
            return HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is { } c
                ? (SamsaConf*)HandleTable.Add(HandleKind.Conf, c.Clone())
                : null;
        }
        catch (Exception e)
        {
            Errors.From(e);
            return null;
        }
    }

    [CExport("Frees a conf the caller still owns. NULL, or a conf already destroyed or taken by a client, is ignored.",
        Threading = "Not concurrently with other calls on the same conf.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_destroy")]
    public static void SamsaConfDestroy(SamsaConf* conf)
    {
        try
        {
            HandleTable.Remove<NativeConf>((nint)conf, HandleKind.Conf);
        }
        catch (Exception e)
        {
            Errors.From(e);
        }
    }

    [CExport("Sets the delivery report callback of producers made from this conf (NULL: no reports; then delivery is fire-and-forget).",
        Ownership = "opaque is passed back as is; the library never touches it.",
        Threading = "Not concurrently with other calls on the same conf.",
        Returns = "SAMSA_OK, or SAMSA_ERR_INVALID_ARG for a NULL or destroyed conf.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_set_delivery_cb")]
    public static int SamsaConfSetDeliveryCb(SamsaConf* conf, [CType("samsa_delivery_cb")] delegate* unmanaged<SamsaDeliveryReport*, void*, void> cb,
        void* opaque)
    {
        if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c)
        {
            return Errors.Invalid("conf is NULL or destroyed");
        }

        c.DeliveryCallback = cb;
        c.DeliveryOpaque = opaque;
        return Errors.Ok;
    }

    [CExport("Sets the log callback of clients made from this conf (NULL: no logging). Lines up to the log_level property (default 6, info; 7 with debug set) are passed.",
        Ownership = "opaque is passed back as is.",
        Threading = "Not concurrently with other calls on the same conf.",
        Returns = "SAMSA_OK, or SAMSA_ERR_INVALID_ARG for a NULL or destroyed conf.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_set_log_cb")]
    public static int SamsaConfSetLogCb(SamsaConf* conf, [CType("samsa_log_cb")] delegate* unmanaged<int, byte*, byte*, void*, void> cb, void* opaque)
    {
        if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c)
        {
            return Errors.Invalid("conf is NULL or destroyed");
        }

        c.LogCallback = cb;
        c.LogOpaque = opaque;
        return Errors.Ok;
    }

    [CExport("Sets the rebalance callback of consumers made from this conf (NULL: none; the consumer still applies assignments itself).",
        Ownership = "opaque is passed back as is.",
        Threading = "Not concurrently with other calls on the same conf.",
        Returns = "SAMSA_OK, or SAMSA_ERR_INVALID_ARG for a NULL or destroyed conf.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_conf_set_rebalance_cb")]
    public static int SamsaConfSetRebalanceCb(SamsaConf* conf,
        [CType("samsa_rebalance_cb")] delegate* unmanaged<SamsaConsumer*, int, SamsaTopicPartition*, nuint, void*, void> cb, void* opaque)
    {
        if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c)
        {
            return Errors.Invalid("conf is NULL or destroyed");
        }

        c.RebalanceCallback = cb;
        c.RebalanceOpaque = opaque;
        return Errors.Ok;
    }
}
