using System.Runtime.InteropServices;
using Samsa.Native.Interop;

namespace Samsa.Native.Abi;

[CStruct("samsa_message_t",
    "A consumed message (or a consumer error, when err is not SAMSA_OK). Key, value and headers point into the " +
    "library's pooled memory, without a copy, until samsa_message_destroy(); treat every field as read-only.")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SamsaMessage
{
    [CField("SAMSA_OK for a message; otherwise the error this event reports (then only topic/partition may be set).")]
    public int Err;

    [CField("The partition, or SAMSA_PARTITION_UA (-1).", Type = "int32_t")]
    public int Partition;

    [CField("The topic (NUL-terminated UTF-8), or NULL for an error not tied to a topic.", Type = "const char *")]
    public byte* Topic;

    [CField("The message's offset.")]
    public long Offset;

    [CField("The record's timestamp, ms since the Unix epoch.")]
    public long Timestamp;

    [CField("SAMSA_TIMESTAMP_CREATE_TIME, SAMSA_TIMESTAMP_LOG_APPEND_TIME or SAMSA_TIMESTAMP_NOT_AVAILABLE.")]
    public int TimestampType;

    [CField("The partition leader epoch the message was written in, or -1 when unknown.", Type = "int32_t")]
    public int LeaderEpoch;

    [CField("The key bytes, or NULL for a null key.", Type = "const void *")]
    public void* Key;

    [CField("The key's length in bytes.")]
    public nuint KeyLen;

    [CField("The value bytes, or NULL for a null value (a tombstone).", Type = "const void *")]
    public void* Value;

    [CField("The value's length in bytes.")]
    public nuint ValueLen;

    [CField("The headers, in order (NULL when header_cnt is 0).", Type = "const samsa_header_t *")]
    public SamsaHeader* Headers;

    [CField("The number of headers.")]
    public nuint HeaderCnt;

    [CField("A description of the error, or NULL for a message.", Type = "const char *")]
    public byte* Errstr;

    [CField("Owned by the library: do not touch.")]
    public void* Reserved;
}
