using System.Runtime.InteropServices;
using Samsa.Native.Interop;

namespace Samsa.Native.Abi;

[CStruct("samsa_header_t", "A message header. Keys may repeat (as in Kafka).")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SamsaHeader
{
    [CField("The header name (NUL-terminated UTF-8); must not be NULL.", Type = "const char *")]
    public byte* Name;

    [CField("The value bytes; NULL for a null value (Kafka tells a null value from an empty one).", Type = "const void *")]
    public void* Value;

    [CField("The value's length in bytes (0 for a null value).")]
    public nuint ValueLen;
}
