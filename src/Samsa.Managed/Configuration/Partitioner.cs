namespace Samsa;

/// <summary>How a producer picks the partition of a message that names none (partitioner).</summary>
public enum Partitioner
{
    /// <summary>murmur2_random (default): Java-compatible murmur2 of the key; messages without a key use sticky partitioning.</summary>
    Murmur2Random,
    /// <summary>murmur2: Java-compatible murmur2 of the key; a null key hashes as empty.</summary>
    Murmur2,
    /// <summary>consistent_random: CRC32 of the key; messages without a key are spread randomly.</summary>
    ConsistentRandom,
    /// <summary>consistent: CRC32 of the key; a null key hashes as empty.</summary>
    Consistent,
    /// <summary>random: every message to a random partition.</summary>
    Random,
    /// <summary>fnv1a: FNV-1a of the key; a null key hashes as empty.</summary>
    Fnv1a,
    /// <summary>fnv1a_random: FNV-1a of the key; messages without a key are spread randomly.</summary>
    Fnv1aRandom,
}
