using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Clients;
using Samsa.Native.Interop;

namespace Samsa.Native.Exports;

/// <summary>The consumer: samsa_consumer_new, _subscribe, _assign, _poll, _commit, _close, _destroy and samsa_message_destroy.</summary>
internal static unsafe class ConsumerExports
{
    private const string Serialized =
        "Any thread; calls on one consumer are serialized (a call waits while another, e.g. a samsa_consumer_poll() waiting for messages, runs). " +
        "May be called from the consumer's rebalance callback.";

    [CExport("Creates a consumer from a conf (bootstrap.servers is required; group.id for samsa_consumer_subscribe() and commits). The conf's properties are checked together; consumer defaults apply to everything not set. The conf's rebalance, log and OAUTHBEARER token refresh callbacks are used.",
        Ownership = "On success the consumer takes the conf (do not use or destroy it afterwards); on failure the caller still owns it.",
        Threading = "Any thread.",
        Returns = "The consumer, or NULL with the reason in errstr (may be NULL; NUL-terminated, cut to errstr_size) and in samsa_last_errstr().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_new")]
    public static SamsaConsumer* SamsaConsumerNew(SamsaConf* conf, [CType("char *")] byte* errstr, nuint errstr_size)
    {
        try
        {
            if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c)
            {
                Errors.Set(Errors.InvalidArg, "Invalid argument: conf is NULL or destroyed.", errstr, errstr_size);
                return null;
            }

            NativeConsumer consumer = NativeConsumer.Create(c);
            HandleTable.Remove<NativeConf>((nint)conf, HandleKind.Conf);
            nint handle = HandleTable.Add(HandleKind.Consumer, consumer);
            consumer.Handle = handle;
            Errors.Clear();
            return (SamsaConsumer*)handle;
        }
        catch (Exception e)
        {
            Errors.From(e, errstr, errstr_size);
            return null;
        }
    }

    [CExport("Joins the consumer's group (group.id) and subscribes to topic_cnt topics; the group assigns partitions, which samsa_consumer_poll() then reads (the rebalance callback tells of each change). Replaces any earlier subscription or assignment.",
        Ownership = "The names are copied.",
        Threading = Serialized,
        Returns = "SAMSA_OK; SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer, NULL topics, topic_cnt 0, a NULL or invalid name, or no group.id; SAMSA_ERR_STATE after samsa_consumer_close().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_subscribe")]
    public static int SamsaConsumerSubscribe(SamsaConsumer* consumer, [CType("const char *const *")] byte** topics, nuint topic_cnt)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c
                ? c.Subscribe(topics, topic_cnt)
                : Errors.Invalid("consumer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Reads exactly these partitions, without a group's assignment, each from its offset: an offset, SAMSA_OFFSET_BEGINNING, SAMSA_OFFSET_END, or SAMSA_OFFSET_STORED / SAMSA_OFFSET_INVALID (the group's committed offset, else auto.offset.reset). Replaces the previous assignment; partitions NULL with partition_cnt 0 removes it. The err fields are ignored.",
        Ownership = "The array and names are copied.",
        Threading = Serialized,
        Returns = "SAMSA_OK; SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer, a NULL array with partition_cnt > 0, a NULL topic or a bad offset; SAMSA_ERR_STATE after samsa_consumer_close().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_assign")]
    public static int SamsaConsumerAssign(SamsaConsumer* consumer, [CType("const samsa_topic_partition_t *")] SamsaTopicPartition* partitions,
        nuint partition_cnt)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c
                ? c.Assign(partitions, partition_cnt)
                : Errors.Invalid("consumer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Returns the next message, waiting up to timeout_ms (0: do not wait; -1: no limit). Rebalance and log callbacks run inside this call, on the calling thread. Errors come as messages whose err is set (errstr says why): SAMSA_ERR_PARTITION_EOF at the end of a partition (enable.partition.eof=true; offset is where it ends), SAMSA_ERR_OFFSET_OUT_OF_RANGE with auto.offset.reset=error, a failed asynchronous commit, brokers down, ...; SAMSA_ERR_STATE after samsa_consumer_close().",
        Ownership = "The caller owns the message: free it with samsa_message_destroy(). Its key, value and headers point into the library's fetch buffers, without a copy, until then (memory still counted against queued.max.messages.kbytes: destroy messages promptly).",
        Threading = Serialized + " Do not call it from the rebalance callback.",
        Returns = "A message or error event; NULL on timeout, or (with samsa_last_errstr() saying why) for a NULL or destroyed consumer.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_poll")]
    public static SamsaMessage* SamsaConsumerPoll(SamsaConsumer* consumer, int timeout_ms)
    {
        try
        {
            if (HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is not { } c)
            {
                Errors.Invalid("consumer is NULL or destroyed");
                return null;
            }

            if (c.InCallback)
            {
                Errors.Set((int)ErrorCode.LocalState, "samsa_consumer_poll() cannot be called from the consumer's rebalance callback.");
                return null;
            }

            return c.Poll(timeout_ms);
        }
        catch (Exception e)
        {
            Errors.From(e);
            return null;
        }
    }

    [CExport("Frees a message from samsa_consumer_poll() and releases the memory its key, value and headers point into. NULL is ignored, and so is a message destroyed again (detected as long as at least 256 other messages of the consumer were not destroyed in between, the library reusing a destroyed message's memory only after that). A message may outlive its consumer.",
        Threading = "Any thread.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_message_destroy")]
    public static void SamsaMessageDestroy(SamsaMessage* message)
    {
        try
        {
            MessagePool.Destroy(message);
        }
        catch (Exception e)
        {
            Errors.From(e);
        }
    }

    [CExport("Commits the positions of what was consumed (the offset after each partition's last message polled) to the group. With async 0 it waits for the result; otherwise it returns at once and a failure comes later as an error message from samsa_consumer_poll().",
        Threading = Serialized,
        Returns = "SAMSA_OK; SAMSA_ERR_NO_OFFSET when nothing was consumed; SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer or one without group.id; a Kafka error from the coordinator (sync only); SAMSA_ERR_STATE after samsa_consumer_close() (except from the rebalance callback it runs).")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_commit")]
    public static int SamsaConsumerCommit(SamsaConsumer* consumer, int async)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c
                ? c.Commit(async != 0)
                : Errors.Invalid("consumer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Closes the consumer: the assignment is revoked (the rebalance callback runs, inside this call, on this thread; with enable.auto.commit the positions are committed), the group is left and fetching stops. Messages not yet destroyed stay valid. Afterwards every call but samsa_consumer_destroy() and samsa_message_destroy() returns SAMSA_ERR_STATE; closing again does nothing.",
        Threading = "Any thread; calls on one consumer are serialized (this one waits while a samsa_consumer_poll() runs). Not from the consumer's rebalance callback.",
        Returns = "SAMSA_OK (also when already closed); SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer; SAMSA_ERR_STATE from a callback.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_close")]
    public static int SamsaConsumerClose(SamsaConsumer* consumer)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c
                ? c.Close()
                : Errors.Invalid("consumer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Closes the consumer if samsa_consumer_close() was not called, and frees it. NULL or an already destroyed consumer is ignored; any later call with this handle returns SAMSA_ERR_INVALID_ARG. Messages not yet destroyed stay valid until samsa_message_destroy().",
        Threading = "Not concurrently with other calls on the same consumer, and not from its callbacks (then it is ignored, with samsa_last_errstr() saying so).")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_destroy")]
    public static void SamsaConsumerDestroy(SamsaConsumer* consumer)
    {
        try
        {
            if (HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { InCallback: true })
            {
                Errors.Set((int)ErrorCode.LocalState, "samsa_consumer_destroy() cannot be called from a callback of the same consumer.");
                return;
            }

            HandleTable.Remove<NativeConsumer>((nint)consumer, HandleKind.Consumer)?.Dispose();
        }
        catch (Exception e)
        {
            Errors.From(e);
        }
    }
}
