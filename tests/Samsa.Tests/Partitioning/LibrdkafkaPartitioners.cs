using System.Runtime.InteropServices;

namespace Samsa.Tests.Partitioning;

/// <summary>
/// librdkafka 2.16.0's built-in partitioners, called directly. They use the topic handle only to check
/// partition availability when they fall back to random placement (a NULL key for the *_random ones, an empty
/// key for consistent_random); the callers here never reach that path, so passing rkt = NULL is safe.
/// </summary>
internal static unsafe partial class LibrdkafkaPartitioners
{
    // Found through the test's deps.json: librdkafka.redist ships it under runtimes/linux-x64/native.
    private const string Library = "centos8-librdkafka.so";

    /// <summary>Calls librdkafka's partitioner of that name; a null <paramref name="key"/> passes a NULL pointer.</summary>
    public static int Partition(Partitioner partitioner, byte[]? key, int partitionCount)
    {
        if (key is null)
        {
            return Call(partitioner, null, 0, partitionCount);
        }

        // GetArrayDataReference is non-null even for an empty array, so an empty key stays a non-NULL pointer
        // (which librdkafka's *_random partitioners tell apart from a NULL key).
        fixed (byte* p = &MemoryMarshal.GetArrayDataReference(key))
        {
            return Call(partitioner, p, (nuint)key.Length, partitionCount);
        }
    }

    private static int Call(Partitioner partitioner, byte* key, nuint length, int count) => partitioner switch
    {
        Partitioner.Murmur2Random => Murmur2Random(0, key, length, count, 0, 0),
        Partitioner.Murmur2 => Murmur2(0, key, length, count, 0, 0),
        Partitioner.ConsistentRandom => ConsistentRandom(0, key, length, count, 0, 0),
        Partitioner.Consistent => Consistent(0, key, length, count, 0, 0),
        Partitioner.Fnv1a => Fnv1a(0, key, length, count, 0, 0),
        Partitioner.Fnv1aRandom => Fnv1aRandom(0, key, length, count, 0, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(partitioner), partitioner, "not called natively"),
    };

    [LibraryImport(Library, EntryPoint = "rd_kafka_msg_partitioner_murmur2_random")]
    private static partial int Murmur2Random(nint rkt, byte* key, nuint keyLength, int partitionCount, nint rktOpaque, nint msgOpaque);

    [LibraryImport(Library, EntryPoint = "rd_kafka_msg_partitioner_murmur2")]
    private static partial int Murmur2(nint rkt, byte* key, nuint keyLength, int partitionCount, nint rktOpaque, nint msgOpaque);

    [LibraryImport(Library, EntryPoint = "rd_kafka_msg_partitioner_consistent_random")]
    private static partial int ConsistentRandom(nint rkt, byte* key, nuint keyLength, int partitionCount, nint rktOpaque, nint msgOpaque);

    [LibraryImport(Library, EntryPoint = "rd_kafka_msg_partitioner_consistent")]
    private static partial int Consistent(nint rkt, byte* key, nuint keyLength, int partitionCount, nint rktOpaque, nint msgOpaque);

    [LibraryImport(Library, EntryPoint = "rd_kafka_msg_partitioner_fnv1a")]
    private static partial int Fnv1a(nint rkt, byte* key, nuint keyLength, int partitionCount, nint rktOpaque, nint msgOpaque);

    [LibraryImport(Library, EntryPoint = "rd_kafka_msg_partitioner_fnv1a_random")]
    private static partial int Fnv1aRandom(nint rkt, byte* key, nuint keyLength, int partitionCount, nint rktOpaque, nint msgOpaque);
}
