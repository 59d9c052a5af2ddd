using System.Globalization;
using Samsa.Compression;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Protocol.Records;

namespace Samsa.Fuzz.Seeds;

/// <summary>
/// Seeds from the golden captures (tests/Samsa.Tests/Golden/Data, format in its README): every response frame for
/// "responses", every record set of a Produce request or Fetch response for "records", and the compressed region of
/// every compressed batch for "codecs"; plus, for every API key at its lowest and highest version, the shortest
/// filler body that decodes, so that AFL starts inside decoders librdkafka never called.
/// </summary>
internal static class CaptureSeeds
{
    public static int Write(string capturesFolder, string outputFolder)
    {
        var seeds = new SeedSet(outputFolder);
        foreach (string path in Directory.GetFiles(capturesFolder, "*.capture").Order(StringComparer.Ordinal))
        {
            string capture = Path.GetFileNameWithoutExtension(path);
            foreach (string line in File.ReadLines(path))
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                // REQ|RES API_KEY VERSION CORRELATION_ID BROKER_ID CONNECTION HEX
                string[] f = line.Split(' ');
                var key = (ApiKey)short.Parse(f[1], CultureInfo.InvariantCulture);
                short version = short.Parse(f[2], CultureInfo.InvariantCulture);
                byte[] frame = Convert.FromHexString(f[6]);
                string name = $"{capture}-{key}-v{version}";
                if (f[0] == "RES")
                {
                    seeds.Add("responses", name, [.. ResponseTarget.Prefix(key, version), .. frame]);
                    if (key == ApiKey.Fetch)
                    {
                        AddFetchRecords(seeds, name, frame, version);
                    }
                }
                else if (key == ApiKey.Produce)
                {
                    AddProduceRecords(seeds, name, frame, version);
                }
            }
        }

        AddFillers(seeds);
        return seeds.Count;
    }

    private static void AddFetchRecords(SeedSet seeds, string name, byte[] frame, short version)
    {
        var reader = new ProtocolReader(frame);
        _ = ResponseHeader.Read(ref reader, MessageCatalog.ResponseHeaderVersion(ApiKey.Fetch, version));
        FetchResponse response = FetchResponse.Read(ref reader, version);
        foreach (FetchResponse.FetchableTopicResponse topic in response.Responses)
        {
            foreach (FetchResponse.PartitionData partition in topic.Partitions)
            {
                AddRecordSet(seeds, name, partition.Records);
            }
        }
    }

    private static void AddProduceRecords(SeedSet seeds, string name, byte[] frame, short version)
    {
        var reader = new ProtocolReader(frame);
        _ = RequestHeader.Read(ref reader, MessageCatalog.RequestHeaderVersion(ApiKey.Produce, version));
        ProduceRequest request = ProduceRequest.Read(ref reader, version);
        foreach (ProduceRequest.TopicProduceData topic in request.TopicData)
        {
            foreach (ProduceRequest.PartitionProduceData partition in topic.PartitionData)
            {
                AddRecordSet(seeds, name, partition.Records);
            }
        }
    }

    private static void AddRecordSet(SeedSet seeds, string name, ReadOnlyMemory<byte>? records)
    {
        if (records is not { Length: > 0 } set)
        {
            return;
        }

        seeds.Add("records", name, set.ToArray());
        var reader = new RecordBatchReader(set);
        while (reader.TryReadNext(out RecordBatch batch))
        {
            CompressionType type = CompressionTypes.FromCodecId(batch.Header.CompressionCodecId);
            int codec = Array.IndexOf(CodecTarget.Codecs, type);
            if (codec >= 0)
            {
                seeds.Add("codecs", $"{name}-{type}", [(byte)codec, .. batch.RecordsRegion.Span]);
            }
        }
    }

    private static void AddFillers(SeedSet seeds)
    {
        var target = new ResponseTarget();
        foreach (ApiKey key in MessageCatalog.ApiKeys)
        {
            var (lowest, highest) = MessageCatalog.Versions(key);
            foreach (short version in (short[])[lowest, highest])
            {
                if (ShortestFiller(target, key, version) is byte[] input)
                {
                    seeds.Add("responses", $"filler-{key}-v{version}", input);
                }
            }
        }
    }

    /// <summary>Header then the fewest bytes of one value (0 = empty classic arrays, 1 = empty compact ones) that decode.</summary>
    private static byte[]? ShortestFiller(ResponseTarget target, ApiKey key, short version)
    {
        byte[] prefix = ResponseTarget.Prefix(key, version);
        byte[] header = MessageCatalog.ResponseHeaderVersion(key, version) >= 1 ? [0, 0, 0, 1, 0] : [0, 0, 0, 1];
        for (int length = 0; length <= 96; length++)
        {
            foreach (byte fill in (byte[])[0, 1])
            {
                byte[] input = [.. prefix, .. header, .. Enumerable.Repeat(fill, length)];
                if (target.Execute(input) == FuzzOutcome.Decoded)
                {
                    return input;
                }
            }
        }

        return null;
    }
}
