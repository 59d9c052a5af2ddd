using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Clients;
using Samsa.Native.Interop;

namespace Samsa.Native.Exports;

/// <summary>The producer: samsa_producer_new, samsa_produce*, samsa_poll, samsa_flush, samsa_producer_destroy.</summary>
internal static unsafe class ProducerExports
{
    [CExport("Creates a producer from a conf (bootstrap.servers is required). The conf's properties are checked together; producer defaults apply to everything not set (idempotent, acks=all, linger.ms=5).",
        Ownership = "On success the producer takes the conf (do not use or destroy it afterwards); on failure the caller still owns it.",
        Threading = "Any thread.",
        Returns = "The producer, or NULL with the reason in errstr (may be NULL; NUL-terminated, cut to errstr_size) and in samsa_last_errstr().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_producer_new")]
    public static SamsaProducer* SamsaProducerNew(SamsaConf* conf, [CType("char *")] byte* errstr, nuint errstr_size)
    {
        try
        {
            if (HandleTable.Get<NativeConf>((nint)conf, HandleKind.Conf) is not { } c)
            {
                Errors.Set(Errors.InvalidArg, "Invalid argument: conf is NULL or destroyed.", errstr, errstr_size);
                return null;
            }

            NativeProducer producer = NativeProducer.Create(c);
            HandleTable.Remove<NativeConf>((nint)conf, HandleKind.Conf);
            Errors.Clear();
            return (SamsaProducer*)HandleTable.Add(HandleKind.Producer, producer);
        }
        catch (Exception e)
        {
            Errors.From(e, errstr, errstr_size);
            return null;
        }
    }

    [CExport("Queues a message for sending. key and value are copied once, into the batch, before this returns; a NULL key or value is a null one (a NULL value is a tombstone). The delivery report comes later, through samsa_poll() or samsa_flush().",
        Ownership = "The caller keeps its buffers. msg_opaque is handed back in the delivery report, untouched.",
        Threading = "Thread-safe: any number of threads may produce at once.",
        Returns = "SAMSA_OK once queued. Otherwise (nothing was queued, there will be no report; samsa_last_errstr() says why): SAMSA_ERR_INVALID_ARG (NULL or destroyed producer, NULL topic, NULL pointer with a non-zero length, invalid UTF-8), SAMSA_ERR_QUEUE_FULL (queue.buffering.max.messages/kbytes reached, or as many delivery reports wait to be polled: poll, then retry), SAMSA_ERR_MESSAGE_TOO_LARGE (larger than message.max.bytes), SAMSA_ERR_UNKNOWN_PARTITION (the partition does not exist), SAMSA_ERR_DESTROY (the producer is closing).")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_produce")]
    public static int SamsaProduce(SamsaProducer* producer, [CType("const char *")] byte* topic, [CType("int32_t")] int partition,
        [CType("const void *")] byte* key, nuint key_len, [CType("const void *")] byte* value, nuint value_len, void* msg_opaque)
    {
        try
        {
            return HandleTable.Get<NativeProducer>((nint)producer, HandleKind.Producer) is { } p
                ? p.Produce(topic, partition, key, key_len, value, value_len, null, 0, msg_opaque)
                : Errors.Invalid("producer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("samsa_produce() with headers: header_cnt headers (names and values are copied; a header's NULL value is a null one).",
        Ownership = "The caller keeps its buffers and the headers array.",
        Threading = "Thread-safe, as samsa_produce().",
        Returns = "As samsa_produce(); also SAMSA_ERR_INVALID_ARG for a NULL headers array with header_cnt > 0 or a header with a NULL name.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_produce_with_headers")]
    public static int SamsaProduceWithHeaders(SamsaProducer* producer, [CType("const char *")] byte* topic, [CType("int32_t")] int partition,
        [CType("const void *")] byte* key, nuint key_len, [CType("const void *")] byte* value, nuint value_len,
        [CType("const samsa_header_t *")] SamsaHeader* headers, nuint header_cnt, void* msg_opaque)
    {
        try
        {
            return HandleTable.Get<NativeProducer>((nint)producer, HandleKind.Producer) is { } p
                ? p.Produce(topic, partition, key, key_len, value, value_len, headers, header_cnt, msg_opaque)
                : Errors.Invalid("producer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Serves the delivery report and log callbacks waiting, on the calling thread; when none waits, waits up to timeout_ms (0: do not wait; -1: no limit) for the first. Call it regularly while producing.",
        Threading = "Any thread; callbacks run on the thread that polls. Do not destroy the producer from a callback.",
        Returns = "The number of callbacks served (0 on timeout), or SAMSA_ERR_INVALID_ARG (negative) for a NULL or destroyed producer.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_poll")]
    public static int SamsaPoll(SamsaProducer* producer, int timeout_ms)
    {
        try
        {
            return HandleTable.Get<NativeProducer>((nint)producer, HandleKind.Producer) is { } p
                ? p.Poll(timeout_ms)
                : Errors.Invalid("producer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Sends everything queued at once (without waiting for linger.ms) and waits until every message is delivered or failed and its report served, serving callbacks meanwhile, for up to timeout_ms (-1: no limit).",
        Threading = "Any thread; callbacks run on the calling thread.",
        Returns = "SAMSA_OK when nothing is left; SAMSA_ERR_TIMED_OUT when messages or reports remain (see samsa_outq_len()); SAMSA_ERR_INVALID_ARG for a NULL or destroyed producer.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_flush")]
    public static int SamsaFlush(SamsaProducer* producer, int timeout_ms)
    {
        try
        {
            return HandleTable.Get<NativeProducer>((nint)producer, HandleKind.Producer) is { } p
                ? p.Flush(timeout_ms)
                : Errors.Invalid("producer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("How many messages are queued or in flight, plus delivery reports not yet served.",
        Threading = "Any thread.",
        Returns = "The count, or SAMSA_ERR_INVALID_ARG (negative) for a NULL or destroyed producer.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_outq_len")]
    public static long SamsaOutqLen(SamsaProducer* producer)
    {
        try
        {
            return HandleTable.Get<NativeProducer>((nint)producer, HandleKind.Producer) is { } p
                ? p.OutQueueLength
                : Errors.Invalid("producer is NULL or destroyed");
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Closes the producer: sends what is queued (for up to 30 s), fails what is left, and frees everything. Delivery reports not yet served are dropped without callbacks: call samsa_flush() first to get them all. NULL or an already destroyed producer is ignored; any later call with this handle returns SAMSA_ERR_INVALID_ARG.",
        Threading = "Not concurrently with other calls on the same producer, and not from one of its callbacks.")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_producer_destroy")]
    public static void SamsaProducerDestroy(SamsaProducer* producer)
    {
        try
        {
            HandleTable.Remove<NativeProducer>((nint)producer, HandleKind.Producer)?.Dispose();
        }
        catch (Exception e)
        {
            Errors.From(e);
        }
    }
}
