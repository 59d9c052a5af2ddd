namespace Samsa.Producer.Partitioning;

/// <summary>
/// murmur2_random, the default: the Java client's placement for keyed messages; null keys go sticky
/// (an empty, non-null key is hashed, as in Java and librdkafka).
/// </summary>
internal sealed class Murmur2RandomPartitioner : IPartitioner
{
    public static readonly Murmur2RandomPartitioner Instance = new();

    private Murmur2RandomPartitioner()
    {
    }

    public int Partition(string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partitionCount)
    {
        PartitionCount.Validate(partitionCount);
        return keyIsNull ? IPartitioner.NoPreference : Murmur2.PartitionOf(key, partitionCount);
    }
}

/// <summary>murmur2: like murmur2_random, but a null key hashes as the empty key (all go to one partition).</summary>
internal sealed class Murmur2Partitioner : IPartitioner
{
    public static readonly Murmur2Partitioner Instance = new();

    private Murmur2Partitioner()
    {
    }

    public int Partition(string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partitionCount)
    {
        PartitionCount.Validate(partitionCount);
        return Murmur2.PartitionOf(keyIsNull ? default : key, partitionCount);
    }
}
