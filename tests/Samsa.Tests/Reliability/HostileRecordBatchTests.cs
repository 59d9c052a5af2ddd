using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Samsa.Buffers;
using Samsa.Compression;
using Samsa.Protocol.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Tests.Reliability;

/// <summary>
/// Property: the record-batch reader, the record reader and the decoder with every codec, given damaged record
/// sets (with the CRC recomputed after the damage, so that the decompressors and record parsers see it, or left
/// stale), either read records or throw a <see cref="KafkaException"/> (a <see cref="ProtocolException"/> for
/// framing, LocalBadCompression for codecs); never another exception, a hang or an allocation out of proportion.
/// </summary>
public sealed class HostileRecordBatchTests
{
    /// <summary>The decompression bound the tests set: a bomb must stop there.</summary>
    private const int MaxDecompressed = 256 * 1024;

    private static readonly CompressionType[] Codecs =
        [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    /// <summary>Per codec, two record sets of two batches each.</summary>
    private static readonly byte[][][] ValidSets = BuildSets();

    private static byte[][][] BuildSets()
    {
        var sets = new byte[Codecs.Length][][];
        for (int c = 0; c < Codecs.Length; c++)
        {
            sets[c] = [Set(Codecs[c], 3, 0), Set(Codecs[c], 40, 1)];
            // Warm the codec (JIT, pooled contexts) outside the allocation measurement.
            _ = Drain(sets[c][1], checkCrcs: true);
        }

        return sets;
    }

    private static byte[] Set(CompressionType type, int records, int variant)
    {
        using var output = new PooledBufferWriter(0);
        for (int b = 0; b < 2; b++)
        {
            using var builder = new RecordBatchBuilder();
            RecordHeader[] headers = [new("h", "v"u8.ToArray()), new("n", default, true)];
            for (int i = 0; i < records; i++)
            {
                byte[]? key = (i + variant) % 5 == 0 ? null : Encoding.UTF8.GetBytes($"k{i}");
                byte[] value = Encoding.UTF8.GetBytes($"value {i} {new string('x', i % 13)}");
                Assert.True(builder.TryAppend(1_700_000_000_000 + i, key, key is null, value, false, i % 2 == 0 ? headers : [], int.MaxValue));
            }

            int start = output.WrittenCount;
            RecordBatchEncoder.Encode(builder, new RecordBatchProducerFields(7, 1, b * records), type, -1, output);
            BinaryPrimitives.WriteInt64BigEndian(output.WrittenSpan[start..].ToArray(), 0); // offsets stay as built
        }

        byte[] set = output.WrittenSpan.ToArray();
        // The second batch's base offset follows the first, as a broker assigns them.
        int firstLength = BinaryPrimitives.ReadInt32BigEndian(set.AsSpan(8)) + RecordBatchHeader.LogOverhead;
        BinaryPrimitives.WriteInt64BigEndian(set.AsSpan(firstLength), records);
        RecordBatchHeader.WriteCrc(set.AsSpan(firstLength));
        return set;
    }

    [Fact]
    public void ValidSetsReadBackWithEveryCodec()
    {
        for (int c = 0; c < Codecs.Length; c++)
        {
            Assert.Equal(6, Drain(ValidSets[c][0], checkCrcs: true));
            Assert.Equal(80, Drain(ValidSets[c][1], checkCrcs: true));
        }
    }

    [Fact]
    public void MutatedSetsReadOrFailWithAKafkaException()
    {
        int rejected = 0;
        HostileResponseDecodingTests.RunBounded(() =>
            Gen.Select(Gen.Int[0, Codecs.Length - 1], Gen.Int[0, 1], Gen.Int, Gen.Int[0, 3]).Sample(
                t =>
                {
                    var (codec, which, seed, mode) = t;
                    byte[] set = Damage(ValidSets[codec][which], seed, mode);
                    if (Check(set, checkCrcs: mode != 3) < 0)
                    {
                        Interlocked.Increment(ref rejected);
                    }
                },
                iter: 40_000,
                print: t => $"{Codecs[t.Item1]} set {t.Item2} seed {t.Item3} mode {t.Item4}"));
        Assert.True(rejected > 5_000, $"only {rejected} of 40000 damaged sets were rejected");
    }

    [Fact]
    public void RandomBytesReadOrFailWithAKafkaException()
    {
        HostileResponseDecodingTests.RunBounded(() =>
            Gen.Select(Gen.Int, Gen.Bool).Sample(
                t => { _ = Check(HostileBytes.Random(t.Item1, 200), t.Item2); },
                iter: 20_000,
                print: t => $"random seed {t.Item1} checkCrcs {t.Item2}"));
    }

    [Fact]
    public void RandomCompressedPayloadsFailCleanlyInEveryCodec()
    {
        // A well-framed batch whose compressed records are pure noise: only the codec's checks stand between it and the reader.
        HostileResponseDecodingTests.RunBounded(() =>
            Gen.Select(Gen.Int[1, Codecs.Length - 1], Gen.Int).Sample(
                t =>
                {
                    byte[] set = ValidSets[t.Item1][1];
                    byte[] noisy = (byte[])set.AsSpan(0, RecordBatchHeader.Size + 64).ToArray().Clone();
                    BinaryPrimitives.WriteInt32BigEndian(noisy.AsSpan(8), noisy.Length - RecordBatchHeader.LogOverhead);
                    new Random(t.Item2).NextBytes(noisy.AsSpan(RecordBatchHeader.Size));
                    if (t.Item2 % 2 == 0)
                    {
                        // A valid frame start of the codec, then noise: gets past magic checks into the decoder proper.
                        set.AsSpan(RecordBatchHeader.Size, 8).CopyTo(noisy.AsSpan(RecordBatchHeader.Size));
                    }

                    RecordBatchHeader.WriteCrc(noisy);
                    _ = Check(noisy, checkCrcs: true);
                },
                iter: 10_000,
                print: t => $"{Codecs[t.Item1]} noise seed {t.Item2}"));
    }

    [Fact]
    public void ASnappyBlockAnnouncingMoreThan2GiBIsCorruptData()
    {
        // Found by the property above: the announced length came back negative and reached a slice as
        // an ArgumentOutOfRangeException.
        using var output = new PooledBufferWriter(0);
        var ex = Assert.Throws<KafkaException>(() =>
            SnappyCodec.Instance.Decompress(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0, 0 }, output, MaxDecompressed));
        Assert.Equal(ErrorCode.LocalBadCompression, ex.Error);
    }

    /// <summary>
    /// mode 0: damage anywhere, CRC left stale; 1: damage past the header, CRC recomputed (reaches the codecs and
    /// record parsers); 2: damage anywhere, CRC recomputed; 3: damage anywhere, CRCs not checked.
    /// </summary>
    private static byte[] Damage(byte[] set, int seed, int mode)
    {
        if (mode == 1)
        {
            byte[] tail = HostileBytes.Mutate(set[RecordBatchHeader.Size..], seed);
            byte[] result = [.. set.AsSpan(0, RecordBatchHeader.Size), .. tail];
            // Keep the first batch's length consistent with what its records became, so framing holds.
            int firstLength = BinaryPrimitives.ReadInt32BigEndian(set.AsSpan(8)) + RecordBatchHeader.LogOverhead;
            int delta = result.Length - set.Length;
            BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(8), Math.Max(RecordBatchHeader.MinBatchLength, firstLength + delta - RecordBatchHeader.LogOverhead));
            FixCrc(result);
            return result;
        }

        byte[] damaged = HostileBytes.Mutate(set, seed);
        if (mode == 2)
        {
            FixCrc(damaged);
        }

        return damaged;
    }

    private static void FixCrc(byte[] set)
    {
        if (set.Length < RecordBatchHeader.Size)
        {
            return;
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(set.AsSpan(8)) + RecordBatchHeader.LogOverhead;
        if (length >= RecordBatchHeader.Size && length <= set.Length)
        {
            RecordBatchHeader.WriteCrc(set.AsSpan(0, length));
        }
    }

    /// <summary>Reads the set; returns the records read, or -1 on a KafkaException. Anything else fails the test.</summary>
    private static int Check(byte[] set, bool checkCrcs)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        int result;
        try
        {
            result = Drain(set, checkCrcs);
        }
        catch (KafkaException)
        {
            result = -1;
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException(
                $"{ex.GetType().Name} ({ex.Message}) on {set.Length} bytes {Convert.ToHexString(set)}{Environment.NewLine}{ex.StackTrace}");
        }

        // Decompressed output comes from the shared pool (rented, returned): the bound allows a pool miss of the cap.
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long bound = (long)HostileResponseDecodingTests.AllocationPerFrameByte * set.Length + 2L * MaxDecompressed + 256 * 1024;
        if (allocated > bound)
        {
            throw new Xunit.Sdk.XunitException($"allocated {allocated} bytes for a {set.Length}-byte record set {Convert.ToHexString(set)}");
        }

        return result;
    }

    private static int Drain(byte[] set, bool checkCrcs) => Samsa.Fuzz.RecordSetTarget.Drain(set, checkCrcs, scratch: null);
}
