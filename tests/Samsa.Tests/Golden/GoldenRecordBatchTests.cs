using Samsa.Protocol.Records;
using Samsa.TestSupport;

namespace Samsa.Tests.Golden;

/// <summary>
/// Record batches librdkafka wrote (Produce requests of Confluent.Kafka and kcat, with every codec) and batches
/// the mock served back (Fetch responses) read back exactly with Samsa's RecordBatchReader, RecordBatchDecoder
/// and codecs: keys, values, headers, timestamps, offset deltas, producer id, epoch and sequence.
/// </summary>
public sealed class GoldenRecordBatchTests
{
    public static TheoryData<string, int> Codecs() => new()
    {
        { "none", 0 },
        { "gzip", 1 },
        { "snappy", 2 },
        { "lz4", 3 },
        { "zstd", 4 },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Confluent_kafka_batch_reads_back_as_the_messages_produced(string codec, int codecId)
    {
        IReadOnlyList<CapturedFrame> frames = GoldenData.Load($"confluent-produce-{codec}.capture");
        List<ReadOnlyMemory<byte>> sets = GoldenBatches.ProducedRecordSets(frames, "golden-" + codec, 0);
        ReadBatch batch = Assert.Single(GoldenBatches.Read(Assert.Single(sets))); // linger.ms=200: one batch
        (long producerId, short epoch) = GoldenBatches.GrantedProducerId(frames);

        IReadOnlyList<GoldenMessage> expected = GoldenMessages.Rich;
        RecordBatchHeader h = batch.Header;
        Assert.Equal(RecordBatchHeader.CurrentMagic, h.Magic);
        Assert.Equal(codecId, h.CompressionCodecId);
        Assert.Equal(RecordTimestampType.CreateTime, h.TimestampType);
        Assert.False(h.IsTransactional);
        Assert.False(h.IsControl);
        Assert.Equal(0, h.BaseOffset);
        Assert.Equal(expected.Count, h.RecordCount);
        Assert.Equal(expected.Count - 1, h.LastOffsetDelta);
        Assert.Equal(expected[0].Timestamp, h.BaseTimestamp); // librdkafka: the first message's, not the minimum
        Assert.Equal(expected.Max(m => m.Timestamp), h.MaxTimestamp);
        Assert.Equal(producerId, h.ProducerId);
        Assert.Equal(epoch, h.ProducerEpoch);
        Assert.Equal(0, h.BaseSequence);
        Assert.Equal(expected.Count, batch.Records.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            GoldenBatches.AssertRecord(expected[i], i, batch.Records[i]);
        }
    }

    /// <summary>
    /// The same messages with the same timestamps: once decompressed, every codec's records region must be
    /// byte for byte the uncompressed batch's, so Samsa's codecs lose or add nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(Codecs))]
    public void Decompressed_records_equal_the_uncompressed_batch(string codec, int codecId)
    {
        _ = codecId;
        ReadBatch plain = GoldenBatches.Read(GoldenBatches.ProducedRecordSets(GoldenData.Load("confluent-produce-none.capture"), "golden-none", 0)[0])[0];
        ReadBatch compressed = GoldenBatches.Read(GoldenBatches.ProducedRecordSets(GoldenData.Load($"confluent-produce-{codec}.capture"), "golden-" + codec, 0)[0])[0];
        Assert.Equal(Convert.ToHexStringLower(plain.RecordsRegion), Convert.ToHexStringLower(compressed.RecordsRegion));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Kcat_batches_read_back_as_the_lines_produced(string codec, int codecId)
    {
        IReadOnlyList<CapturedFrame> frames = GoldenData.Load($"kcat-produce-{codec}.capture");
        (long producerId, short epoch) = GoldenBatches.GrantedProducerId(frames);
        var records = new List<ReadRecord>();
        foreach (ReadOnlyMemory<byte> set in GoldenBatches.ProducedRecordSets(frames, "golden-kcat-" + codec, 0))
        {
            foreach (ReadBatch batch in GoldenBatches.Read(set))
            {
                RecordBatchHeader h = batch.Header;
                Assert.Equal(codecId, h.CompressionCodecId);
                Assert.Equal(producerId, h.ProducerId);
                Assert.Equal(epoch, h.ProducerEpoch);
                Assert.Equal(records.Count, h.BaseSequence); // sequences continue across batches
                Assert.Equal(h.RecordCount - 1, h.LastOffsetDelta);
                Assert.Equal(batch.Records[0].Timestamp, h.BaseTimestamp);
                Assert.Equal(batch.Records.Max(r => r.Timestamp), h.MaxTimestamp);
                for (int i = 0; i < batch.Records.Count; i++)
                {
                    Assert.Equal(i, batch.Records[i].Offset); // offset deltas from base offset 0
                }

                records.AddRange(batch.Records);
            }
        }

        IReadOnlyList<(string Key, string Value)> lines = GoldenMessages.KcatLines;
        Assert.Equal(lines.Count, records.Count);
        var captured = DateTimeOffset.FromUnixTimeMilliseconds(records[0].Timestamp);
        Assert.InRange(captured, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow.AddDays(1));
        for (int i = 0; i < lines.Count; i++)
        {
            GoldenBatches.AssertBytes(GoldenMessages.U(lines[i].Key), records[i].Key, $"line {i} key");
            GoldenBatches.AssertBytes(GoldenMessages.U(lines[i].Value), records[i].Value, $"line {i} value");
            Assert.Equal(GoldenMessages.KcatHeaders.Count, records[i].Headers.Count);
            for (int j = 0; j < GoldenMessages.KcatHeaders.Count; j++)
            {
                Assert.Equal(GoldenMessages.KcatHeaders[j].Key, records[i].Headers[j].Key);
                GoldenBatches.AssertBytes(GoldenMessages.U(GoldenMessages.KcatHeaders[j].Value), records[i].Headers[j].Value, $"line {i} header {j}");
            }
        }
    }

    /// <summary>The mock served the produced batches back with absolute offsets: GoldenMessages.Rich plain, then zstd.</summary>
    [Fact]
    public void Fetched_batches_read_back_with_broker_offsets()
    {
        IReadOnlyList<CapturedFrame> frames = GoldenData.Load("confluent-consume-assign.capture");
        var byOffset = new SortedDictionary<long, ReadRecord>();
        var codecs = new HashSet<int>();
        foreach (ReadOnlyMemory<byte> set in GoldenBatches.FetchedRecordSets(frames, "golden-consume", 0))
        {
            foreach (ReadBatch batch in GoldenBatches.Read(set))
            {
                codecs.Add(batch.Header.CompressionCodecId);
                Assert.Equal(batch.Header.BaseOffset + batch.Header.LastOffsetDelta, batch.Records[^1].Offset);
                foreach (ReadRecord r in batch.Records)
                {
                    byOffset[r.Offset] = r;
                }
            }
        }

        IReadOnlyList<GoldenMessage> rich = GoldenMessages.Rich;
        Assert.Equal(2 * rich.Count, byOffset.Count);
        Assert.Equal([0, 4], codecs.Order());
        for (int i = 0; i < 2 * rich.Count; i++)
        {
            GoldenBatches.AssertRecord(rich[i % rich.Count], i, byOffset[i]);
        }
    }

    [Fact]
    public void Kcat_consumed_batches_read_back_with_broker_offsets()
    {
        IReadOnlyList<CapturedFrame> frames = GoldenData.Load("kcat-consume.capture");
        var values = new List<string>();
        long next = 0;
        foreach (ReadOnlyMemory<byte> set in GoldenBatches.FetchedRecordSets(frames, "golden-kcat-consume", 0))
        {
            foreach (ReadBatch batch in GoldenBatches.Read(set))
            {
                Assert.Equal(1, batch.Header.CompressionCodecId); // gzip
                foreach (ReadRecord r in batch.Records)
                {
                    if (r.Offset < next)
                    {
                        continue; // fetched twice
                    }

                    Assert.Equal(next++, r.Offset);
                    values.Add(System.Text.Encoding.UTF8.GetString(r.Value!));
                }
            }
        }

        Assert.Equal(GoldenMessages.KcatLines.Select(l => l.Value), values);
    }
}
