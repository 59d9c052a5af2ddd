using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Samsa.Producer.Partitioning;

/// <summary>
/// MurmurHash2 exactly as the Java client's <c>Utils.murmur2</c> (and librdkafka's <c>rd_murmur2</c>) compute
/// it: seed 0x9747b28c, little-endian 4-byte blocks, the tail folded in from its highest byte down. Any
/// difference would send keyed messages to other partitions than Java producers do.
/// </summary>
internal static class Murmur2
{
    private const uint Seed = 0x9747b28c;
    private const uint M = 0x5bd1e995;
    private const int R = 24;

    public static uint Hash(ReadOnlySpan<byte> data)
    {
        int length = data.Length;
        uint h = Seed ^ (uint)length;
        ref byte p = ref MemoryMarshal.GetReference(data);
        int blockEnd = length & ~3;

        for (int i = 0; i < blockEnd; i += 4)
        {
            uint k = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i));
            if (!BitConverter.IsLittleEndian)
            {
                k = BinaryPrimitives.ReverseEndianness(k);
            }

            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }

        switch (length & 3)
        {
            case 3:
                h ^= (uint)Unsafe.Add(ref p, blockEnd + 2) << 16;
                goto case 2;
            case 2:
                h ^= (uint)Unsafe.Add(ref p, blockEnd + 1) << 8;
                goto case 1;
            case 1:
                h ^= Unsafe.Add(ref p, blockEnd);
                h *= M;
                break;
        }

        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return h;
    }

    /// <summary>
    /// Java's <c>Utils.toPositive(murmur2(key)) % numPartitions</c>: the sign bit is masked off, not negated,
    /// so the result differs from <c>Math.Abs</c> for negative hashes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PartitionOf(ReadOnlySpan<byte> key, int partitionCount) =>
        (int)((Hash(key) & 0x7fffffff) % (uint)partitionCount);
}
