using System.Runtime.InteropServices;
using Samsa.Native.Interop;

namespace Samsa.Native.Abi;

[CStruct("samsa_topic_partition_t", "A partition of a topic and an offset in it: assignments, rebalance events, commits.")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SamsaTopicPartition
{
    [CField("The topic (NUL-terminated UTF-8).", Type = "const char *")]
    public byte* Topic;

    [CField("The partition.", Type = "int32_t")]
    public int Partition;

    [CField("An offset, or SAMSA_OFFSET_BEGINNING, SAMSA_OFFSET_END, SAMSA_OFFSET_STORED or SAMSA_OFFSET_INVALID (none).")]
    public long Offset;

    [CField("Per-partition error where one applies (SAMSA_OK otherwise).")]
    public int Err;
}
