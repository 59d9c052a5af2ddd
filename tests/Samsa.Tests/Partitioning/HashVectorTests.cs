using System.Text;
using Samsa.Producer.Partitioning;

namespace Samsa.Tests.Partitioning;

/// <summary>
/// Published hash vectors: Kafka's UtilsTest.testMurmur2 (Java client), a JVM-generated case from Sarama's
/// tests, librdkafka's rdmurmur2.c / rdfnv1a.c unit tables and its 0048-partitioner test, and standard CRC-32
/// and FNV-1a check values.
/// </summary>
public class HashVectorTests
{
    private const string Unaligned = "PreAmbleWillBeRemoved,ThePrePartThatIs";
    private const string Long = "this is another string with more length to it perhaps";

    public static TheoryData<string, int> Murmur2Vectors => new()
    {
        // Kafka clients UtilsTest.testMurmur2 (Java's signed int result).
        { "21", -973932308 },
        { "foobar", -790332482 },
        { "a-little-bit-long-string", -985981536 },
        { "a-little-bit-longer-string", -1486304829 },
        { "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971 },
        { "abc", 479470107 },
        // librdkafka rdmurmur2.c unit test (checked there against the Java implementation).
        { "kafka", unchecked((int)0xd067cf64) },
        { "giberish123456789", unchecked((int)0x8f552b0c) },
        { "1234", unchecked((int)0x9fc97b14) },
        { "234", unchecked((int)0xe7c009ca) },
        { "34", unchecked((int)0x873930da) },
        { "4", 0x5a4b5ca1 },
        { Unaligned, 0x78424f1c },
        { Unaligned[1..], 0x4a62b377 },
        { Unaligned[2..], unchecked((int)0xe0e4e09e) },
        { Unaligned[3..], 0x62b8b43f },
        { "", 0x106e08d9 },
    };

    // librdkafka tests/0048-partitioner.c, from its Java Murmur2Cli: Utils.toPositive(Utils.murmur2(key)).
    public static TheoryData<string, int> PositiveMurmur2Vectors => new()
    {
        { "23456", 0x058d780f },
        { Long, 0x4f7703da },
        { "hejsan", 0x5ec19395 },
    };

    [Theory]
    [MemberData(nameof(Murmur2Vectors))]
    public void Murmur2_equals_the_Java_client(string key, int javaHash) =>
        Assert.Equal(javaHash, unchecked((int)Murmur2.Hash(Encoding.UTF8.GetBytes(key))));

    [Theory]
    [MemberData(nameof(PositiveMurmur2Vectors))]
    public void Murmur2_toPositive_equals_the_Java_client(string key, int javaPositiveHash)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        Assert.Equal(javaPositiveHash, (int)(Murmur2.Hash(bytes) & 0x7fffffff));
        Assert.Equal(javaPositiveHash % 17, PartitionerFactory.Create(Partitioner.Murmur2).Partition("t", bytes, false, 17));
    }

    [Fact]
    public void Murmur2_of_binary_key_equals_the_Java_client() =>
        // Sarama's kafkautil test, generated with the JVM client 1.0.0.
        Assert.Equal(274204207, unchecked((int)Murmur2.Hash([12, 42, 56, 24, 109, 111])));

    [Theory]
    [MemberData(nameof(Murmur2Vectors))]
    public void Murmur2_partition_is_Java_toPositive_modulo_count(string key, int javaHash)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        foreach (int count in new[] { 1, 2, 3, 7, 17, 64, 100, 256, 1000, int.MaxValue })
        {
            int javaPartition = (javaHash & 0x7fffffff) % count;
            Assert.Equal(javaPartition, PartitionerFactory.Create(Partitioner.Murmur2).Partition("t", bytes, false, count));
            Assert.Equal(javaPartition, PartitionerFactory.Create(Partitioner.Murmur2Random).Partition("t", bytes, false, count));
        }
    }

    public static TheoryData<string, uint> Fnv1aAbsoluteVectors => new()
    {
        // librdkafka rdfnv1a.c unit test (from Go's hash/fnv, after Sarama's absolute value).
        { "kafka", 0xd33c4e1 },
        { "giberish123456789", 0x77a58295 },
        { "1234", 0x23bdd03 },
        { "234", 0x2dea3cd2 },
        { "34", 0x740fa83e },
        { "4", 0x310ca263 },
        { Unaligned, 0x65cbd69c },
        { Unaligned[1..], 0x6e49c79a },
        { Unaligned[2..], 0x69eed356 },
        { Unaligned[3..], 0x6abcc023 },
        { "", 0x7ee3623b },
        // librdkafka tests/0048-partitioner.c.
        { "23456", 0x27e6f469 },
        { Long, 0x155e3e5f },
        { "hejsan", 0x17b1e27a },
    };

    [Theory]
    [MemberData(nameof(Fnv1aAbsoluteVectors))]
    public void Fnv1a_equals_librdkafka(string key, uint expected)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        Assert.Equal(expected, Fnv1a.AbsoluteHash(bytes));
        Assert.Equal((int)(expected % 17), PartitionerFactory.Create(Partitioner.Fnv1a).Partition("t", bytes, false, 17));
    }

    [Theory]
    [InlineData("", 0x811c9dc5)]
    [InlineData("a", 0xe40c292c)]
    [InlineData("foobar", 0xbf9cf968)]
    public void Fnv1a_raw_hash_is_standard_FNV_1a_32(string input, uint expected) =>
        Assert.Equal(expected, Fnv1a.Hash(Encoding.ASCII.GetBytes(input)));

    [Theory]
    [InlineData("", 0x00000000)]
    [InlineData("123456789", 0xCBF43926)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339)]
    [InlineData("23456", 0xb1b451d7)]
    [InlineData(Long, 0xb0150df7)]
    [InlineData("hejsan", 0xd077037e)]
    public void Crc32_equals_the_IEEE_check_values_and_librdkafka(string input, uint expected)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(input);
        Assert.Equal(expected, Crc32.Compute(bytes));
        Assert.Equal((int)(expected % 17), PartitionerFactory.Create(Partitioner.Consistent).Partition("t", bytes, false, 17));
    }

    [Fact]
    public void Crc32_slicing_equals_a_bit_at_a_time_reference_at_every_length_and_alignment()
    {
        var random = new Random(7);
        byte[] buffer = new byte[4_200];
        random.NextBytes(buffer);
        for (int length = 0; length < 200; length++)
        {
            for (int offset = 0; offset < 8; offset++)
            {
                ReadOnlySpan<byte> slice = buffer.AsSpan(offset, length);
                Assert.Equal(BitwiseCrc32(slice), Crc32.Compute(slice));
            }
        }

        Assert.Equal(BitwiseCrc32(buffer.AsSpan(3)), Crc32.Compute(buffer.AsSpan(3)));
    }

    // The definition of the reflected CRC-32, one bit per step: slow and obviously right.
    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
