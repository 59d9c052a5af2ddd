using System.Runtime.CompilerServices;

namespace Samsa.Producer.Partitioning;

/// <summary>
/// 32-bit FNV-1a, and the partition librdkafka's <c>fnv1a</c> partitioner derives from it (which is Sarama's
/// default hash partitioner).
/// </summary>
internal static class Fnv1a
{
    private const uint OffsetBasis = 0x811C9DC5;
    private const uint Prime = 0x01000193;

    /// <summary>The standard 32-bit FNV-1a hash.</summary>
    public static uint Hash(ReadOnlySpan<byte> data)
    {
        uint h = OffsetBasis;
        foreach (byte b in data)
        {
            h ^= b;
            h *= Prime;
        }

        return h;
    }

    /// <summary>
    /// librdkafka's <c>rd_fnv1a</c>: the hash read as a signed int and negated when negative (Sarama's
    /// absolute value). int.MinValue negates to itself, so 0x80000000 survives and is then reduced unsigned.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint AbsoluteHash(ReadOnlySpan<byte> data)
    {
        int h = unchecked((int)Hash(data));
        return unchecked((uint)(h < 0 ? -h : h));
    }

    /// <summary>librdkafka's <c>rd_fnv1a(key) % partition_cnt</c>, an unsigned remainder.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PartitionOf(ReadOnlySpan<byte> key, int partitionCount) =>
        (int)(AbsoluteHash(key) % (uint)partitionCount);
}
