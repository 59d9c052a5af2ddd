namespace Samsa;

/// <summary>
/// Picks the partition of a message the application did not place itself. The producer calls it from any
/// thread, concurrently, once per message: implementations must be thread-safe and should not allocate.
/// </summary>
public interface IPartitioner
{
    /// <summary>
    /// The value <see cref="Partition"/> returns for "no preference": the producer then places the message on
    /// its sticky partition (one partition per topic, changed every sticky linger interval).
    /// </summary>
    const int NoPreference = -1;

    /// <summary>
    /// The partition of a message, in [0, <paramref name="partitionCount"/>), or <see cref="NoPreference"/>.
    /// </summary>
    /// <param name="topic">The message's topic.</param>
    /// <param name="key">The serialized key; empty when the key is null.</param>
    /// <param name="keyIsNull">True when the message has no key at all (as opposed to an empty one).</param>
    /// <param name="partitionCount">The topic's partition count, at least 1.</param>
    int Partition(string topic, ReadOnlySpan<byte> key, bool keyIsNull, int partitionCount);
}
