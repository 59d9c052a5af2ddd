namespace Samsa.Producer.Partitioning;

/// <summary>
/// random: a keyed message goes to a uniformly random partition. A null key returns
/// <see cref="IPartitioner.NoPreference"/> as librdkafka does (its sticky partition is itself chosen at
/// random, so with a sticky linger of 0 every message still lands on a fresh random partition).
/// </summary>
internal sealed class RandomPartitioner : IPartitioner
{
    public static readonly RandomPartitioner Instance = new();

    private RandomPartitioner()
    {
    }

    // Random.Shared is thread-safe without locks (per-thread state), and allocation-free after a thread's first call.
    public int Partition(string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partitionCount)
    {
        PartitionCount.Validate(partitionCount);
        return keyIsNull ? IPartitioner.NoPreference : System.Random.Shared.Next(partitionCount);
    }
}
