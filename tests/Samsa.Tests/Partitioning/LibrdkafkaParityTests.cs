using System.Text;

namespace Samsa.Tests.Partitioning;

/// <summary>Placement equals librdkafka's own partitioner functions for the same keys and partition counts.</summary>
public class LibrdkafkaParityTests
{
    private static readonly int[] PartitionCounts = [1, 3, 7, 64, 256];

    // A key whose raw FNV-1a is 0x80000000 (int.MinValue): librdkafka's "absolute value" leaves it negative-looking
    // and reduces it unsigned, where a signed remainder would give a negative partition.
    private static readonly byte[] FnvMinValueKey = [0xf5, 0x34, 0x17, 0x7a, 0x01];

    public static TheoryData<Partitioner> NativePartitioners =>
    [
        Partitioner.Murmur2Random,
        Partitioner.Murmur2,
        Partitioner.ConsistentRandom,
        Partitioner.Consistent,
        Partitioner.Fnv1a,
        Partitioner.Fnv1aRandom,
    ];

    [Theory]
    [MemberData(nameof(NativePartitioners))]
    public void Keyed_messages_land_where_librdkafka_puts_them(Partitioner kind)
    {
        IPartitioner partitioner = PartitionerFactory.Create(kind);
        int compared = 0;
        foreach (byte[] key in Keys())
        {
            // consistent_random sends empty keys to its random fallback, which dereferences the topic handle.
            if (key.Length == 0 && kind == Partitioner.ConsistentRandom)
            {
                continue;
            }

            foreach (int count in PartitionCounts)
            {
                int expected = LibrdkafkaPartitioners.Partition(kind, key, count);
                int actual = partitioner.Partition("t", key, keyIsNull: false, count);
                if (expected != actual)
                {
                    Assert.Fail($"{kind}, {count} partitions, key {Convert.ToHexString(key)}: librdkafka {expected}, Samsa {actual}");
                }

                compared++;
            }
        }

        Assert.True(compared >= 2_000 * PartitionCounts.Length, $"only {compared} comparisons");
    }

    [Theory]
    [InlineData(Partitioner.Murmur2)]
    [InlineData(Partitioner.Consistent)]
    [InlineData(Partitioner.Fnv1a)]
    public void A_null_key_hashes_like_librdkafka_given_a_NULL_pointer(Partitioner kind)
    {
        IPartitioner partitioner = PartitionerFactory.Create(kind);
        foreach (int count in PartitionCounts)
        {
            Assert.Equal(LibrdkafkaPartitioners.Partition(kind, null, count), partitioner.Partition("t", default, keyIsNull: true, count));
        }
    }

    [Fact]
    public void Fnv1a_of_int_min_value_is_reduced_unsigned_like_librdkafka()
    {
        Assert.Equal(0x80000000u, Samsa.Producer.Partitioning.Fnv1a.Hash(FnvMinValueKey));
        foreach (int count in PartitionCounts)
        {
            int expected = LibrdkafkaPartitioners.Partition(Partitioner.Fnv1a, FnvMinValueKey, count);
            Assert.Equal((int)(0x80000000u % (uint)count), expected);
            Assert.Equal(expected, PartitionerFactory.Create(Partitioner.Fnv1a).Partition("t", FnvMinValueKey, false, count));
            Assert.Equal(expected, PartitionerFactory.Create(Partitioner.Fnv1aRandom).Partition("t", FnvMinValueKey, false, count));
        }
    }

    /// <summary>2,000 random binary keys of 0-100 bytes, 1,000 textual ones, and a few edge cases.</summary>
    private static IEnumerable<byte[]> Keys()
    {
        var random = new Random(20_251_001);
        for (int i = 0; i < 2_000; i++)
        {
            byte[] key = new byte[random.Next(0, 101)];
            random.NextBytes(key);
            yield return key;
        }

        for (int i = 0; i < 1_000; i++)
        {
            yield return Encoding.UTF8.GetBytes($"user-{random.Next()}-é-{i}");
        }

        yield return [];
        yield return FnvMinValueKey;
        yield return [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        yield return new byte[1024];
    }
}
