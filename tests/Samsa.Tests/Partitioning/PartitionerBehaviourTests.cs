using System.Text;

namespace Samsa.Tests.Partitioning;

/// <summary>Null and empty keys, sticky "no preference", argument errors, the factory, allocation and threads.</summary>
public class PartitionerBehaviourTests
{
    private const uint Murmur2OfEmpty = 0x106e08d9;
    private const uint Fnv1aAbsoluteOfEmpty = 0x7ee3623b;

    public static TheoryData<Partitioner> AllPartitioners => new(Enum.GetValues<Partitioner>());

    [Theory]
    [InlineData(Partitioner.Murmur2Random)]
    [InlineData(Partitioner.Fnv1aRandom)]
    [InlineData(Partitioner.ConsistentRandom)]
    [InlineData(Partitioner.Random)]
    public void A_null_key_has_no_preference_so_the_producer_goes_sticky(Partitioner kind)
    {
        IPartitioner partitioner = PartitionerFactory.Create(kind);
        foreach (int count in new[] { 1, 3, 256 })
        {
            Assert.Equal(IPartitioner.NoPreference, partitioner.Partition("t", default, keyIsNull: true, count));
        }

        Assert.Equal(-1, IPartitioner.NoPreference);
    }

    [Theory]
    [InlineData(Partitioner.Murmur2, Murmur2OfEmpty)]
    [InlineData(Partitioner.Fnv1a, Fnv1aAbsoluteOfEmpty)]
    [InlineData(Partitioner.Consistent, 0u)]
    public void A_null_key_hashes_as_empty_and_its_span_is_ignored(Partitioner kind, uint hashOfEmpty)
    {
        IPartitioner partitioner = PartitionerFactory.Create(kind);
        byte[] garbage = Encoding.ASCII.GetBytes("not a key");
        foreach (int count in new[] { 1, 3, 7, 17, 256 })
        {
            int expected = (int)((hashOfEmpty & 0x7fffffff) % (uint)count);
            Assert.Equal(expected, partitioner.Partition("t", default, keyIsNull: true, count));
            Assert.Equal(expected, partitioner.Partition("t", garbage, keyIsNull: true, count));
            Assert.Equal(expected, partitioner.Partition("t", [], keyIsNull: false, count));
        }
    }

    [Fact]
    public void An_empty_key_is_hashed_by_murmur2_random_and_fnv1a_random_but_sticky_for_consistent_random()
    {
        Assert.Equal((int)(Murmur2OfEmpty % 7), PartitionerFactory.Create(Partitioner.Murmur2Random).Partition("t", [], false, 7));
        Assert.Equal((int)(Fnv1aAbsoluteOfEmpty % 7), PartitionerFactory.Create(Partitioner.Fnv1aRandom).Partition("t", [], false, 7));
        Assert.Equal(IPartitioner.NoPreference, PartitionerFactory.Create(Partitioner.ConsistentRandom).Partition("t", [], false, 7));
    }

    [Fact]
    public void Random_spreads_keyed_messages_over_every_partition()
    {
        IPartitioner partitioner = PartitionerFactory.Create(Partitioner.Random);
        int[] hits = new int[7];
        for (int i = 0; i < 7_000; i++)
        {
            int p = partitioner.Partition("t", "same key"u8, false, hits.Length);
            Assert.InRange(p, 0, hits.Length - 1);
            hits[p]++;
        }

        // Expected 1,000 each; 600 is more than 12 standard deviations below.
        Assert.All(hits, h => Assert.True(h > 600, $"partition hit only {h} times of 7,000"));
        Assert.Equal(0, partitioner.Partition("t", "k"u8, false, 1));
        Assert.Equal(0, partitioner.Partition("t", [], false, 1));
    }

    [Theory]
    [MemberData(nameof(AllPartitioners))]
    public void Results_are_always_in_range(Partitioner kind)
    {
        IPartitioner partitioner = PartitionerFactory.Create(kind);
        var random = new Random(5);
        byte[] key = new byte[40];
        foreach (int count in new[] { 1, 2, 3, 7, 64, 256, 10_000, int.MaxValue })
        {
            for (int i = 0; i < 500; i++)
            {
                random.NextBytes(key);
                int p = partitioner.Partition("t", key.AsSpan(0, random.Next(1, key.Length)), false, count);
                Assert.InRange(p, 0, count - 1);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllPartitioners))]
    public void A_partition_count_below_one_is_rejected_with_a_clear_error(Partitioner kind)
    {
        IPartitioner partitioner = PartitionerFactory.Create(kind);
        foreach (int count in new[] { 0, -1, int.MinValue })
        {
            var keyed = Assert.Throws<KafkaException>(() => partitioner.Partition("t", "k"u8, false, count));
            Assert.Equal(ErrorCode.LocalInvalidArg, keyed.Error);
            Assert.Contains("partition count must be at least 1", keyed.Message, StringComparison.Ordinal);
            Assert.Throws<KafkaException>(() => partitioner.Partition("t", default, true, count));
        }
    }

    [Theory]
    [MemberData(nameof(AllPartitioners))]
    public void The_factory_returns_a_shared_stateless_instance(Partitioner kind)
    {
        IPartitioner first = PartitionerFactory.Create(kind);
        Assert.Same(first, PartitionerFactory.Create(kind));
        Assert.DoesNotContain(first.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic), _ => true);
    }

    [Fact]
    public void Each_kind_gets_its_own_partitioner() =>
        Assert.Equal(
            Enum.GetValues<Partitioner>().Length,
            Enum.GetValues<Partitioner>().Select(k => PartitionerFactory.Create(k).GetType()).Distinct().Count());

    [Fact]
    public void An_unknown_partitioner_value_is_a_config_error()
    {
        var error = Assert.Throws<ConfigException>(() => PartitionerFactory.Create((Partitioner)99));
        Assert.Equal("partitioner", error.Property);
        Assert.Equal("99", error.Value);
        Assert.Contains("unknown partitioner 99", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllPartitioners))]
    public void Partitioning_allocates_nothing(Partitioner kind)
    {
        IPartitioner partitioner = PartitionerFactory.Create(kind);
        byte[] key = Encoding.ASCII.GetBytes("a key of some thirty-two bytes!!");
        int sink = 0;

        // Warm up: JIT tiers, static tables, Random.Shared's per-thread state.
        for (int i = 0; i < 200; i++)
        {
            sink += partitioner.Partition("t", key, false, 7) + partitioner.Partition("t", default, true, 7);
        }

        long allocated = AllocationMeter.Fewest(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                sink += partitioner.Partition("t", key.AsSpan(0, i & 31), false, 64);
                sink += partitioner.Partition("t", default, true, 64);
            }
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(int.MinValue, sink);
    }

    [Theory]
    [InlineData(Partitioner.Murmur2Random)]
    [InlineData(Partitioner.Consistent)]
    [InlineData(Partitioner.Fnv1a)]
    [InlineData(Partitioner.Random)]
    public void Concurrent_calls_agree_with_sequential_ones(Partitioner kind)
    {
        IPartitioner partitioner = PartitionerFactory.Create(kind);
        byte[][] keys = Enumerable.Range(0, 4_000).Select(i => Encoding.UTF8.GetBytes($"key-{i}")).ToArray();
        int[] sequential = keys.Select(k => partitioner.Partition("t", k, false, 31)).ToArray();
        int[] parallel = new int[keys.Length];
        Parallel.For(0, keys.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = partitioner.Partition("t", keys[i], false, 31));

        if (kind == Partitioner.Random)
        {
            Assert.All(parallel, p => Assert.InRange(p, 0, 30));
        }
        else
        {
            Assert.Equal(sequential, parallel);
        }
    }
}
