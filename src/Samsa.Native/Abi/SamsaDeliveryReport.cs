using System.Runtime.InteropServices;
using Samsa.Native.Interop;

namespace Samsa.Native.Abi;

[CStruct("samsa_delivery_t", "The outcome of one produced message, passed to the delivery callback; valid only during the callback.")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SamsaDeliveryReport
{
    [CField("SAMSA_OK (0) when delivered, else the error (Kafka's positive code, or a local negative one).")]
    public int Err;

    [CField("The partition, or SAMSA_PARTITION_UA (-1) when none was chosen.", Type = "int32_t")]
    public int Partition;

    [CField("The topic (NUL-terminated UTF-8).", Type = "const char *")]
    public byte* Topic;

    [CField("The offset in the partition, or SAMSA_OFFSET_INVALID (-1001) when unknown (acks=0, or failed).")]
    public long Offset;

    [CField("The record's timestamp, ms since the Unix epoch.")]
    public long Timestamp;

    [CField("SAMSA_TIMESTAMP_CREATE_TIME or SAMSA_TIMESTAMP_LOG_APPEND_TIME (or SAMSA_TIMESTAMP_NOT_AVAILABLE).")]
    public int TimestampType;

    [CField("SAMSA_MSG_STATUS_NOT_PERSISTED, SAMSA_MSG_STATUS_POSSIBLY_PERSISTED or SAMSA_MSG_STATUS_PERSISTED.")]
    public int Status;

    [CField("A description of the error, or NULL when delivered.", Type = "const char *")]
    public byte* Errstr;

    [CField("The msg_opaque given to samsa_produce().")]
    public void* MsgOpaque;
}
