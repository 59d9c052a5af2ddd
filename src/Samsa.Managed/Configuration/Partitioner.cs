namespace Samsa;

/// <summary>How the producer picks a partition for a record that names none (partitioner).</summary>
public enum Partitioner
{
    /// <summary>murmur2_random: Java-compatible murmur2 hash of the key; null keys spread (sticky). Java's DefaultPartitioner.</summary>
    Murmur2Random,

    /// <summary>murmur2: Java-compatible murmur2 hash of the key; null keys all go to one partition.</summary>
    Murmur2,

    /// <summary>consistent_random: CRC32 hash of the key; empty and null keys spread (sticky).</summary>
    ConsistentRandom,

    /// <summary>consistent: CRC32 hash of the key; empty and null keys all go to one partition.</summary>
    Consistent,

    /// <summary>random: keys are ignored; records spread (sticky). Java's UniformStickyPartitioner.</summary>
    Random,

    /// <summary>fnv1a: FNV-1a hash of the key (as Sarama); null keys all go to one partition.</summary>
    Fnv1a,

    /// <summary>fnv1a_random: FNV-1a hash of the key; null keys spread (sticky).</summary>
    Fnv1aRandom,
}
