namespace Samsa.Producer.Partitioning;

/// <summary>fnv1a: librdkafka's (Sarama-compatible) FNV-1a placement; a null key hashes as the empty key.</summary>
internal sealed class Fnv1aPartitioner : IPartitioner
{
    public static readonly Fnv1aPartitioner Instance = new();

    private Fnv1aPartitioner()
    {
    }

    public int Partition(string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partitionCount)
    {
        PartitionCount.Validate(partitionCount);
        return Fnv1a.PartitionOf(keyIsNull ? default : key, partitionCount);
    }
}

/// <summary>fnv1a_random: FNV-1a placement for keyed messages; null keys go sticky (empty keys are hashed).</summary>
internal sealed class Fnv1aRandomPartitioner : IPartitioner
{
    public static readonly Fnv1aRandomPartitioner Instance = new();

    private Fnv1aRandomPartitioner()
    {
    }

    public int Partition(string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partitionCount)
    {
        PartitionCount.Validate(partitionCount);
        return keyIsNull ? IPartitioner.NoPreference : Fnv1a.PartitionOf(key, partitionCount);
    }
}
