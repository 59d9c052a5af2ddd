using System.Buffers.Binary;
using System.Text;
using Samsa.Buffers;
using Samsa.Compression;
using Samsa.Protocol.Records;
using Samsa.Tests.Records;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Tests.Compression;

/// <summary>The facade: builder records → compressed batch → fetched record set → records.</summary>
public sealed class RecordBatchCodecTests
{
    public static TheoryData<CompressionType, int> Codecs() => new()
    {
        { CompressionType.None, -1 },
        { CompressionType.Gzip, -1 }, { CompressionType.Gzip, 1 }, { CompressionType.Gzip, 9 },
        { CompressionType.Snappy, -1 },
        { CompressionType.Lz4, -1 }, { CompressionType.Lz4, 9 },
        { CompressionType.Zstd, -1 }, { CompressionType.Zstd, 1 }, { CompressionType.Zstd, 15 },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void EncodeThenDecodeGivesTheRecordsBack(CompressionType type, int level)
    {
        using var builder = new RecordBatchBuilder();
        RecordHeader[] headers = [new("h", "hv"u8.ToArray()), new("n", default, true)];
        for (int i = 0; i < 2000; i++)
        {
            byte[]? key = i % 7 == 0 ? null : Encoding.UTF8.GetBytes($"key-{i % 50}");
            byte[]? value = i % 11 == 0 ? null : Encoding.UTF8.GetBytes($"value {i} of the batch, with some repeated text text text");
            Assert.True(builder.TryAppend(1_700_000_000_000 + (i / 10), key, key is null, value, value is null, i % 2 == 0 ? headers : [], int.MaxValue));
        }

        var fields = new RecordBatchProducerFields(99, 2, 1000, isTransactional: true, partitionLeaderEpoch: 4);
        using var output = new PooledBufferWriter(0);
        output.Write([1, 2, 3]); // batches are appended after what the writer holds
        int size = RecordBatchEncoder.Encode(builder, fields, type, level, output);
        Assert.Equal(output.WrittenCount - 3, size);
        if (type != CompressionType.None)
        {
            Assert.True(size < builder.SizeInBytes / 2, $"{type}: {builder.SizeInBytes} -> {size}");
        }

        // Two copies of the batch at different offsets, as a fetch would return them.
        byte[] batch = output.WrittenSpan[3..].ToArray();
        byte[] second = (byte[])batch.Clone();
        BinaryPrimitives.WriteInt64BigEndian(second, 5000);
        byte[] set = [.. batch, .. second];

        var reader = new RecordBatchReader(set, "t", 0, checkCrcs: true);
        int batches = 0;
        while (reader.TryReadNext(out RecordBatch fetched))
        {
            Assert.Equal((int)type, fetched.Header.CompressionCodecId);
            Assert.Equal(99, fetched.Header.ProducerId);
            Assert.Equal(2, fetched.Header.ProducerEpoch);
            Assert.Equal(1000, fetched.Header.BaseSequence);
            Assert.Equal(4, fetched.Header.PartitionLeaderEpoch);
            Assert.True(fetched.Header.IsTransactional);
            Assert.Equal(2000, fetched.Header.RecordCount);
            Assert.Equal(1999, fetched.Header.LastOffsetDelta);
            Assert.Equal(1_700_000_000_000 + 199, fetched.Header.MaxTimestamp);

            using DecodedRecordBatch decoded = RecordBatchDecoder.Decode(fetched);
            Assert.Equal(type != CompressionType.None, decoded.Owner is not null);
            Assert.Equal(builder.Records.ToArray(), decoded.Records.ToArray());
            int i = 0;
            foreach (Record r in decoded)
            {
                Assert.Equal(fetched.Header.BaseOffset + i, r.Offset);
                Assert.Equal(1_700_000_000_000 + (i / 10), r.Timestamp);
                Assert.Equal(i % 7 == 0, r.KeyIsNull);
                Assert.Equal(i % 11 == 0, r.ValueIsNull);
                if (!r.KeyIsNull)
                {
                    Assert.Equal($"key-{i % 50}", Encoding.UTF8.GetString(r.Key.Span));
                }

                Assert.Equal(i % 2 == 0 ? 2 : 0, r.Headers.Count);
                i++;
            }

            Assert.Equal(2000, i);
            batches++;
        }

        Assert.Equal(2, batches);
        Assert.False(reader.HasPartialBatch);
    }

    [Fact]
    public void DecodeIntoACallerBufferOwnsNothing()
    {
        byte[] batch = EncodeSimple(CompressionType.Lz4, 100);
        using var scratch = new PooledBufferWriter(0);
        RecordBatch parsed = RecordBatch.Parse(batch);
        DecodedRecordBatch first = RecordBatchDecoder.Decode(parsed, scratch);
        Assert.Null(first.Owner);
        Assert.Equal(100, Count(first));
        DecodedRecordBatch second = RecordBatchDecoder.Decode(parsed, scratch);
        Assert.Equal(100, Count(second));
        Assert.Equal(first.Records.Length * 2, scratch.WrittenCount);
    }

    [Fact]
    public void DecompressionBombInABatchNamesTheOffset()
    {
        using var builder = new RecordBatchBuilder();
        Assert.True(builder.TryAppend(1, default, true, new byte[4_000_000], false, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue));
        using var output = new PooledBufferWriter(0);
        RecordBatchEncoder.Encode(builder, RecordBatchProducerFields.None, CompressionType.Gzip, -1, output);
        byte[] batch = output.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt64BigEndian(batch, 777);
        KafkaException e = Assert.Throws<KafkaException>(() => RecordBatchDecoder.Decode(RecordBatch.Parse(batch), 1_000_000));
        Assert.Equal(ErrorCode.LocalBadCompression, e.Error);
        Assert.Contains("offset 777", e.Message, StringComparison.Ordinal);
        Assert.Contains("more than the 1000000 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCodecIdIsAnError()
    {
        byte[] batch = EncodeSimple(CompressionType.Gzip, 3);
        batch[RecordBatchHeader.AttributesOffset + 1] = 6;
        RecordBatchHeader.WriteCrc(batch);
        KafkaException e = Assert.Throws<KafkaException>(() => RecordBatchDecoder.Decode(RecordBatch.Parse(batch)));
        Assert.Contains("codec id 6", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void MutatedCompressedBatchesFailOnlyWithKafkaExceptions(CompressionType type)
    {
        byte[] valid = [.. EncodeSimple(type, 30), .. EncodeSimple(type, 5)];
        var random = new Random(100 + (int)type);
        int detected = 0;
        for (int i = 0; i < 600; i++)
        {
            byte[] mutated = RecordBatchFuzzTests.Mutate(valid, random);
            try
            {
                var reader = new RecordBatchReader(mutated, "fuzz", 1, checkCrcs: false);
                while (reader.TryReadNext(out RecordBatch batch))
                {
                    using DecodedRecordBatch decoded = RecordBatchDecoder.Decode(batch, 10_000_000);
                    foreach (Record r in decoded)
                    {
                        foreach (RecordHeaderView h in r.Headers)
                        {
                            _ = h.Value.Length;
                        }
                    }
                }
            }
            catch (KafkaException)
            {
                detected++;
            }
        }

        Assert.True(detected > 100, $"{type}: only {detected} of 600 mutations were detected");
    }

    [Fact]
    public void DecodingUncompressedBatchesAllocatesNothing()
    {
        byte[] set = [.. EncodeSimple(CompressionType.None, 200), .. EncodeSimple(CompressionType.None, 200)];
        long sum = DecodeAll(set);
        long allocated = AllocationMeter.Fewest(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                sum += DecodeAll(set);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    private static long DecodeAll(byte[] set)
    {
        long sum = 0;
        var reader = new RecordBatchReader(set, "t", 0);
        while (reader.TryReadNext(out RecordBatch batch))
        {
            using DecodedRecordBatch decoded = RecordBatchDecoder.Decode(batch);
            foreach (Record r in decoded)
            {
                sum += r.Value.Length;
            }
        }

        return sum;
    }

    private static int Count(DecodedRecordBatch decoded)
    {
        int n = 0;
        foreach (Record _ in decoded)
        {
            n++;
        }

        return n;
    }

    private static byte[] EncodeSimple(CompressionType type, int count)
    {
        using var builder = new RecordBatchBuilder();
        RecordHeader[] headers = [new("k", "v"u8.ToArray())];
        for (int i = 0; i < count; i++)
        {
            Assert.True(builder.TryAppend(i, Encoding.UTF8.GetBytes($"k{i}"), false, Encoding.UTF8.GetBytes($"some value {i} {i} {i}"), false, headers, int.MaxValue));
        }

        using var output = new PooledBufferWriter(0);
        RecordBatchEncoder.Encode(builder, RecordBatchProducerFields.None, type, -1, output);
        return output.WrittenSpan.ToArray();
    }
}

public sealed class DecodedBatchOwnershipTests
{
    [Fact]
    public void OwnerReturnsItsArrayOnceAndThenRefusesAccess()
    {
        byte[] array = System.Buffers.ArrayPool<byte>.Shared.Rent(100);
        var owner = new PooledArrayOwner(array, 10);
        Assert.Equal(10, owner.Memory.Length);
        owner.Dispose();
        owner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => owner.Memory);
    }

    [Fact]
    public void DecodeAfterAFailedDecodeStillWorks()
    {
        using var builder = new RecordBatchBuilder();
        Assert.True(builder.TryAppend(1, default, true, new byte[2_000_000], false, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue));
        using var output = new PooledBufferWriter(0);
        RecordBatchEncoder.Encode(builder, RecordBatchProducerFields.None, CompressionType.Zstd, -1, output);
        RecordBatch batch = RecordBatch.Parse(output.WrittenMemory);
        Assert.Throws<KafkaException>(() => RecordBatchDecoder.Decode(batch, 1000));
        using DecodedRecordBatch decoded = RecordBatchDecoder.Decode(batch);
        Assert.Equal(builder.Records.Length, decoded.Records.Length);
        Assert.NotNull(decoded.Owner);
    }

    [Fact]
    public void ParseRefusesBytesThatAreNotExactlyOneBatch()
    {
        byte[] batch = Records.TestBatches.Simple(2);
        Assert.Throws<ProtocolException>(() => RecordBatch.Parse(batch.AsMemory(0, batch.Length - 1)));
        Assert.Throws<ProtocolException>(() => RecordBatch.Parse(new byte[batch.Length + 1].AsMemory()));
    }

    [Fact]
    public void CrcOfACompressedBatchCoversTheCompressedBytes()
    {
        using var builder = new RecordBatchBuilder();
        Assert.True(builder.TryAppend(1, "k"u8, false, new byte[10_000], false, ReadOnlySpan<RecordHeader>.Empty, int.MaxValue));
        using var output = new PooledBufferWriter(0);
        RecordBatchEncoder.Encode(builder, RecordBatchProducerFields.None, CompressionType.Snappy, -1, output);
        byte[] batch = output.WrittenSpan.ToArray();
        Assert.Equal(RecordBatchHeader.ComputeCrc(batch), RecordBatch.Parse(batch).Header.Crc);
        batch[^1] ^= 0x40;
        KafkaException e = Assert.Throws<KafkaException>(() => new RecordBatchReader(batch, "z", 3).TryReadNext(out _));
        Assert.Equal(ErrorCode.LocalCrc, e.Error);
    }
}
