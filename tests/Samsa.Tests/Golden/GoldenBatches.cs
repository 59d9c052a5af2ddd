using Samsa.Compression;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Protocol.Records;
using Samsa.TestSupport;

namespace Samsa.Tests.Golden;

/// <summary>One record as Samsa's reader and decoder return it, copied out for comparison.</summary>
internal sealed record ReadRecord(long Offset, long Timestamp, byte[]? Key, byte[]? Value, List<(string Key, byte[]? Value)> Headers);

/// <summary>One batch: its header, its decompressed records region and its records.</summary>
internal sealed record ReadBatch(RecordBatchHeader Header, byte[] RecordsRegion, List<ReadRecord> Records);

/// <summary>Extracts record batches from captured Produce requests and Fetch responses and reads them with Samsa.</summary>
internal static class GoldenBatches
{
    /// <summary>The record sets of every Produce request in a capture, for one topic partition, in order.</summary>
    public static List<ReadOnlyMemory<byte>> ProducedRecordSets(IReadOnlyList<CapturedFrame> frames, string topic, int partition)
    {
        var sets = new List<ReadOnlyMemory<byte>>();
        foreach (CapturedFrame frame in frames)
        {
            if (frame.Direction != FrameDirection.Request || frame.ApiKey != ApiKey.Produce)
            {
                continue;
            }

            var request = (ProduceRequest)FrameCodec.DecodeRequest(frame).Body;
            foreach (ProduceRequest.TopicProduceData t in request.TopicData)
            {
                foreach (ProduceRequest.PartitionProduceData p in t.PartitionData)
                {
                    if (t.Name == topic && p.Index == partition && p.Records is { } records)
                    {
                        sets.Add(records);
                    }
                }
            }
        }

        return sets;
    }

    /// <summary>
    /// The non-empty record sets of every Fetch response in a capture for one topic partition. Fetch v13+ names
    /// topics by id only: the id comes from the capture's Metadata responses.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> FetchedRecordSets(IReadOnlyList<CapturedFrame> frames, string topic, int partition)
    {
        Guid topicId = Guid.Empty;
        foreach (CapturedFrame frame in frames)
        {
            if (frame.Direction == FrameDirection.Response && frame.ApiKey == ApiKey.Metadata)
            {
                foreach (MetadataResponse.MetadataResponseTopic t in ((MetadataResponse)FrameCodec.DecodeResponse(frame).Body).Topics)
                {
                    if (t.Name == topic && t.TopicId != Guid.Empty)
                    {
                        topicId = t.TopicId;
                    }
                }
            }
        }

        var sets = new List<ReadOnlyMemory<byte>>();
        foreach (CapturedFrame frame in frames)
        {
            if (frame.Direction != FrameDirection.Response || frame.ApiKey != ApiKey.Fetch)
            {
                continue;
            }

            var response = (FetchResponse)FrameCodec.DecodeResponse(frame).Body;
            foreach (FetchResponse.FetchableTopicResponse t in response.Responses)
            {
                foreach (FetchResponse.PartitionData p in t.Partitions)
                {
                    bool named = frame.Version >= 13 ? topicId != Guid.Empty && t.TopicId == topicId : t.Topic == topic;
                    if (named && p.PartitionIndex == partition && p.Records is { Length: > 0 } records)
                    {
                        sets.Add(records);
                    }
                }
            }
        }

        return sets;
    }

    /// <summary>Reads every batch of a record set (CRCs checked), decompressing with Samsa's codecs; the set must hold whole batches only.</summary>
    public static List<ReadBatch> Read(ReadOnlyMemory<byte> recordSet)
    {
        var batches = new List<ReadBatch>();
        var reader = new RecordBatchReader(recordSet, "golden", 0, checkCrcs: true);
        while (reader.TryReadNext(out RecordBatch batch))
        {
            using DecodedRecordBatch decoded = RecordBatchDecoder.Decode(batch);
            var records = new List<ReadRecord>();
            RecordReader recordReader = decoded.GetRecordReader();
            while (recordReader.TryReadNext(out Samsa.Protocol.Records.Record r))
            {
                var headers = new List<(string, byte[]?)>();
                foreach (RecordHeaderView h in r.Headers)
                {
                    headers.Add((h.GetKeyString(), h.ValueIsNull ? null : h.Value.ToArray()));
                }

                records.Add(new ReadRecord(r.Offset, r.Timestamp, r.KeyIsNull ? null : r.Key.ToArray(), r.ValueIsNull ? null : r.Value.ToArray(), headers));
            }

            Assert.Equal(batch.Header.RecordCount, recordReader.ReadCount);
            batches.Add(new ReadBatch(batch.Header, decoded.Records.ToArray(), records));
        }

        Assert.False(reader.HasPartialBatch, "a captured record set ends in a partial batch");
        Assert.Equal(recordSet.Length, reader.BytesConsumed);
        return batches;
    }

    /// <summary>The producer id and epoch the mock granted in a capture's InitProducerId response.</summary>
    public static (long ProducerId, short Epoch) GrantedProducerId(IReadOnlyList<CapturedFrame> frames)
    {
        foreach (CapturedFrame frame in frames)
        {
            if (frame.Direction == FrameDirection.Response && frame.ApiKey == ApiKey.InitProducerId)
            {
                var response = (InitProducerIdResponse)FrameCodec.DecodeResponse(frame).Body;
                Assert.Equal(0, response.ErrorCode);
                return (response.ProducerId, response.ProducerEpoch);
            }
        }

        throw new Xunit.Sdk.XunitException("the capture holds no InitProducerId response");
    }

    /// <summary>Compares a read record with a golden message field by field, with a message naming the record.</summary>
    public static void AssertRecord(GoldenMessage expected, long expectedOffset, ReadRecord actual)
    {
        string what = $"record at offset {actual.Offset}";
        Assert.True(expectedOffset == actual.Offset, $"{what}: offset {actual.Offset}, {expectedOffset} expected");
        Assert.True(expected.Timestamp == actual.Timestamp, $"{what}: timestamp {actual.Timestamp}, {expected.Timestamp} expected");
        AssertBytes(expected.Key, actual.Key, what + " key");
        AssertBytes(expected.Value, actual.Value, what + " value");
        Assert.True(expected.Headers.Count == actual.Headers.Count, $"{what}: {actual.Headers.Count} headers, {expected.Headers.Count} expected");
        for (int i = 0; i < expected.Headers.Count; i++)
        {
            Assert.Equal(expected.Headers[i].Key, actual.Headers[i].Key);
            AssertBytes(expected.Headers[i].Value, actual.Headers[i].Value, $"{what} header {i} ({expected.Headers[i].Key})");
        }
    }

    /// <summary>Null and empty are different values.</summary>
    public static void AssertBytes(byte[]? expected, byte[]? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: {(actual is null ? "null" : "not null")}, {(expected is null ? "null" : "not null")} expected");
            return;
        }

        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{what}: {Convert.ToHexStringLower(actual)}, {Convert.ToHexStringLower(expected)} expected");
    }
}
