using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Clients;
using Samsa.Native.Interop;

namespace Samsa.Native.Exports;

/// <summary>The consumer's positions: samsa_consumer_unsubscribe, _seek, _pause, _resume, _position, _committed.</summary>
internal static unsafe class ConsumerPositionExports
{
    private const string Serialized =
        "Any thread; calls on one consumer are serialized (a call waits while another, e.g. a samsa_consumer_poll() waiting for messages, runs). " +
        "May be called from the consumer's rebalance callback.";

    private const string NullConsumer = "consumer is NULL or destroyed";

    [CExport("Leaves the subscription: the group's partitions are revoked (the rebalance callback runs inside this call) and the consumer leaves the group's assignment.",
        Threading = Serialized,
        Returns = "SAMSA_OK; SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer; SAMSA_ERR_STATE after samsa_consumer_close().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_unsubscribe")]
    public static int SamsaConsumerUnsubscribe(SamsaConsumer* consumer)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c ? c.Unsubscribe() : Errors.Invalid(NullConsumer);
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Moves an assigned partition's position: the next message polled from it is at offset (or SAMSA_OFFSET_BEGINNING, SAMSA_OFFSET_END). Messages already fetched past it are dropped.",
        Ownership = "topic is copied.",
        Threading = Serialized,
        Returns = "SAMSA_OK; SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer, a NULL topic or a bad offset; SAMSA_ERR_STATE when the partition is not assigned or after samsa_consumer_close().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_seek")]
    public static int SamsaConsumerSeek(SamsaConsumer* consumer, [CType("const char *")] byte* topic, [CType("int32_t")] int partition, long offset)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c ? c.Seek(topic, partition, offset) : Errors.Invalid(NullConsumer);
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Stops fetching these assigned partitions (their position is kept) until samsa_consumer_resume(). The offsets and err fields are ignored.",
        Ownership = "The array is read only during the call.",
        Threading = Serialized,
        Returns = "SAMSA_OK; SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer, a NULL or empty array or a NULL topic; SAMSA_ERR_STATE after samsa_consumer_close().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_pause")]
    public static int SamsaConsumerPause(SamsaConsumer* consumer, [CType("const samsa_topic_partition_t *")] SamsaTopicPartition* partitions, nuint partition_cnt)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c
                ? c.SetPaused(partitions, partition_cnt, paused: true)
                : Errors.Invalid(NullConsumer);
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Fetches paused partitions again, from their positions.",
        Ownership = "The array is read only during the call.",
        Threading = Serialized,
        Returns = "As samsa_consumer_pause().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_resume")]
    public static int SamsaConsumerResume(SamsaConsumer* consumer, [CType("const samsa_topic_partition_t *")] SamsaTopicPartition* partitions, nuint partition_cnt)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c
                ? c.SetPaused(partitions, partition_cnt, paused: false)
                : Errors.Invalid(NullConsumer);
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Writes into each element's offset the partition's position: the offset of the next message poll will return (SAMSA_OFFSET_INVALID while not known yet). A partition that is not assigned gets SAMSA_OFFSET_INVALID and err SAMSA_ERR_STATE.",
        Ownership = "The caller's array; only offset and err are written.",
        Threading = Serialized,
        Returns = "SAMSA_OK (per-partition errors in err); SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer, a NULL or empty array or a NULL topic; SAMSA_ERR_STATE after samsa_consumer_close().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_position")]
    public static int SamsaConsumerPosition(SamsaConsumer* consumer, SamsaTopicPartition* partitions, nuint partition_cnt)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c
                ? c.Position(partitions, partition_cnt)
                : Errors.Invalid(NullConsumer);
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }

    [CExport("Asks the group coordinator for the committed offsets of these partitions and writes them into each element's offset (SAMSA_OFFSET_INVALID when none is committed), waiting up to timeout_ms (-1: no limit).",
        Ownership = "The caller's array; only offset and err are written.",
        Threading = Serialized + " It blocks the consumer's other calls while it waits.",
        Returns = "SAMSA_OK; SAMSA_ERR_INVALID_ARG for a NULL or destroyed consumer, a NULL or empty array, a NULL topic or no group.id; SAMSA_ERR_TIMED_OUT; a Kafka error from the coordinator; SAMSA_ERR_STATE after samsa_consumer_close().")]
    [UnmanagedCallersOnly(EntryPoint = "samsa_consumer_committed")]
    public static int SamsaConsumerCommitted(SamsaConsumer* consumer, SamsaTopicPartition* partitions, nuint partition_cnt, int timeout_ms)
    {
        try
        {
            return HandleTable.Get<NativeConsumer>((nint)consumer, HandleKind.Consumer) is { } c
                ? c.Committed(partitions, partition_cnt, timeout_ms)
                : Errors.Invalid(NullConsumer);
        }
        catch (Exception e)
        {
            return Errors.From(e);
        }
    }
}
