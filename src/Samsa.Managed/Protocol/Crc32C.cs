using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Samsa.Protocol;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of Kafka record batches, computed with the CPU's CRC32 instruction
/// through <see cref="BitOperations.Crc32C(uint, ulong)"/> (SSE4.2 on x64, CRC on Arm64; the runtime falls
/// back to a table where neither exists).
/// </summary>
public static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>
    /// Continues a running CRC. Start with <c>~0u</c>, call once per chunk, and finish with <c>~state</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint i = 0;

        // Three independent 8-byte lanes would hide the instruction's latency, but they need a
        // combine step (carry-less multiply); a single lane already runs at several GB/s.
        while (length - i >= 32)
        {
            state = BitOperations.Crc32C(state, ReadUInt64(ref p, i));
            state = BitOperations.Crc32C(state, ReadUInt64(ref p, i + 8));
            state = BitOperations.Crc32C(state, ReadUInt64(ref p, i + 16));
            state = BitOperations.Crc32C(state, ReadUInt64(ref p, i + 24));
            i += 32;
        }

        while (length - i >= 8)
        {
            state = BitOperations.Crc32C(state, ReadUInt64(ref p, i));
            i += 8;
        }

        while (i < length)
        {
            state = BitOperations.Crc32C(state, Unsafe.Add(ref p, i));
            i++;
        }

        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadUInt64(ref byte p, nuint offset)
    {
        ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, offset));
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }
}
