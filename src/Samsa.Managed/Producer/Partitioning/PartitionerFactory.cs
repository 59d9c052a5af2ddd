using System.Globalization;
using Samsa.Producer.Partitioning;

namespace Samsa;

/// <summary>The built-in partitioners, one for each <see cref="Samsa.Partitioner"/>.</summary>
public static class PartitionerFactory
{
    /// <summary>
    /// The built-in partitioner for <paramref name="partitioner"/>. Placement of keyed messages equals
    /// librdkafka's partitioner of the same name (and, for the murmur2 ones, the Java client's). The instances
    /// are stateless singletons, safe to share between producers and threads.
    /// </summary>
    /// <remarks>
    /// As in librdkafka, a null key makes <see cref="Samsa.Partitioner.Murmur2Random"/>,
    /// <see cref="Samsa.Partitioner.Fnv1aRandom"/>, <see cref="Samsa.Partitioner.ConsistentRandom"/> and
    /// <see cref="Samsa.Partitioner.Random"/> return <see cref="IPartitioner.NoPreference"/> (sticky partitioning);
    /// <see cref="Samsa.Partitioner.ConsistentRandom"/> does so for an empty key too. The other three hash a null
    /// key as the empty key.
    /// </remarks>
    /// <exception cref="ConfigException">The value is not a member of <see cref="Samsa.Partitioner"/>.</exception>
    public static IPartitioner Create(Partitioner partitioner) => partitioner switch
    {
        Partitioner.Murmur2Random => Murmur2RandomPartitioner.Instance,
        Partitioner.Murmur2 => Murmur2Partitioner.Instance,
        Partitioner.ConsistentRandom => ConsistentRandomPartitioner.Instance,
        Partitioner.Consistent => ConsistentPartitioner.Instance,
        Partitioner.Random => RandomPartitioner.Instance,
        Partitioner.Fnv1a => Fnv1aPartitioner.Instance,
        Partitioner.Fnv1aRandom => Fnv1aRandomPartitioner.Instance,
        _ => throw new ConfigException(
            "partitioner",
            ((int)partitioner).ToString(CultureInfo.InvariantCulture),
            $"unknown partitioner {(int)partitioner}: expected one of murmur2_random, murmur2, consistent_random, consistent, random, fnv1a, fnv1a_random"),
    };
}
