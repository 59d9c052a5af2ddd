namespace Samsa.Producer.Partitioning;

/// <summary>
/// consistent_random: CRC-32 of the key modulo the count. Null and empty keys go sticky: librdkafka tests the
/// key length, not the pointer, for this one partitioner.
/// </summary>
internal sealed class ConsistentRandomPartitioner : IPartitioner
{
    public static readonly ConsistentRandomPartitioner Instance = new();

    private ConsistentRandomPartitioner()
    {
    }

    public int Partition(string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partitionCount)
    {
        PartitionCount.Validate(partitionCount);
        return keyIsNull || key.IsEmpty
            ? IPartitioner.NoPreference
            : ConsistentPartitioner.PartitionOf(key, partitionCount);
    }
}

/// <summary>consistent: CRC-32 of the key modulo the count; null and empty keys both land on partition 0.</summary>
internal sealed class ConsistentPartitioner : IPartitioner
{
    public static readonly ConsistentPartitioner Instance = new();

    private ConsistentPartitioner()
    {
    }

    public int Partition(string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partitionCount)
    {
        PartitionCount.Validate(partitionCount);
        return PartitionOf(keyIsNull ? default : key, partitionCount);
    }

    // librdkafka computes rd_crc32(key) % partition_cnt with an unsigned CRC, so the remainder is unsigned.
    internal static int PartitionOf(ReadOnlySpan<byte> key, int partitionCount) =>
        (int)(Crc32.Compute(key) % (uint)partitionCount);
}
