using System.Buffers.Binary;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Protocol.Records;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Interop;

/// <summary>
/// Samsa's producer does what the golden capture confluent-produce-none shows Confluent.Kafka doing (same
/// client id, topic, partition, messages and timestamps, acks=all, idempotent, no compression) through a
/// recording proxy, and each of its ApiVersions, Metadata, InitProducerId and Produce requests must equal,
/// byte for byte, a request librdkafka 2.16.0 sent at the same version in one of the Confluent.Kafka captures,
/// after copying over only the fields whose values differ for a stated reason (see <see cref="Normalize"/>).
/// </summary>
[Collection(ProxiedClusterCollection.Name)]
public sealed class SamsaRequestsMatchLibrdkafkaTests(ProxiedClusterFixture fixture)
{
    private static readonly ApiKey[] Compared = [ApiKey.ApiVersions, ApiKey.Metadata, ApiKey.InitProducerId, ApiKey.Produce];

    [Fact]
    public async Task Samsa_requests_equal_librdkafkas_where_versions_and_values_coincide()
    {
        var librdkafka = new List<CapturedFrame>();
        foreach (string path in GoldenData.CaptureFiles())
        {
            if (Path.GetFileName(path).StartsWith("confluent-", StringComparison.Ordinal))
            {
                librdkafka.AddRange(CaptureFile.Read(path));
            }
        }

        fixture.Proxy.Clear();
        await SamsaBatchInteropTests.ProduceRichWithSamsaAsync(fixture, "golden-none", "none", clientId: "golden-confluent");
        IReadOnlyList<CapturedFrame> samsa = fixture.Proxy.Frames;

        var report = new List<string>();
        var failures = new List<string>();
        foreach (ApiKey key in Compared)
        {
            List<CapturedFrame> ours = Requests(samsa, key);
            List<CapturedFrame> theirs = Requests(librdkafka, key);
            Assert.True(ours.Count > 0, $"Samsa sent no {key} request");
            Assert.True(theirs.Count > 0, $"the capture holds no {key} request");
            int matched = 0;
            foreach (CapturedFrame mine in ours)
            {
                List<CapturedFrame> sameVersion = theirs.FindAll(f => f.Version == mine.Version);
                if (sameVersion.Count == 0)
                {
                    report.Add($"{key} v{mine.Version}: librdkafka sent only v{string.Join(", v", theirs.Select(f => f.Version).Distinct())}; not compared");
                    continue;
                }

                // Samsa's frame must itself survive a round trip, so that comparing its re-encoding is sound.
                DecodedRequest decoded = FrameCodec.DecodeRequest(mine);
                Assert.Equal(0, decoded.Trailing);
                Assert.Null(FrameCodec.Difference(mine.Frame, FrameCodec.Encode(decoded.Header, mine.HeaderVersion, decoded.Body, mine.Version)));

                string? closest = null;
                foreach (CapturedFrame their in sameVersion)
                {
                    DecodedRequest reference = FrameCodec.DecodeRequest(their);
                    DecodedRequest candidate = FrameCodec.DecodeRequest(mine); // fresh copy to normalize
                    candidate.Header.CorrelationId = reference.Header.CorrelationId; // per connection, never comparable
                    Normalize(key, reference.Body, candidate.Body);
                    byte[] normalized = FrameCodec.Encode(candidate.Header, mine.HeaderVersion, candidate.Body, mine.Version);
                    string? difference = FrameCodec.Difference(their.Frame.AsSpan(0, their.Frame.Length - reference.Trailing), normalized);
                    if (difference is null)
                    {
                        closest = null;
                        matched++;
                        report.Add($"{key} v{mine.Version}: equal to librdkafka's {their}");
                        break;
                    }

                    closest ??= $"{key} v{mine.Version} ({mine}) differs from librdkafka's {their}: {difference}";
                }

                if (closest is not null)
                {
                    failures.Add(closest);
                }
            }

            if (matched == 0 && failures.Count == 0)
            {
                failures.Add($"{key}: no version in common between Samsa (v{string.Join(", v", ours.Select(f => f.Version))}) and librdkafka (v{string.Join(", v", theirs.Select(f => f.Version))})");
            }
        }

        Console.WriteLine(string.Join(Environment.NewLine, report));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Concat(["--"]).Concat(report)));
    }

    private static List<CapturedFrame> Requests(IReadOnlyList<CapturedFrame> frames, ApiKey key) =>
        [.. frames.Where(f => f.Direction == FrameDirection.Request && f.ApiKey == key)];

    /// <summary>
    /// Copies into Samsa's request the fields that legitimately differ from librdkafka's, each for the reason
    /// given; everything else must already be equal.
    /// </summary>
    private static void Normalize(ApiKey key, IKafkaMessage reference, IKafkaMessage candidate)
    {
        switch (key)
        {
            case ApiKey.ApiVersions:
                // KIP-511 software name and version identify the client: "confluent-kafka-dotnet"/"2.16.0" vs Samsa's own.
                var (r, c) = ((ApiVersionsRequest)reference, (ApiVersionsRequest)candidate);
                c.ClientSoftwareName = r.ClientSoftwareName;
                c.ClientSoftwareVersion = r.ClientSoftwareVersion;
                break;
            case ApiKey.Metadata:
                // A brokers-only request (no topics) asks for no topic to be created either way: librdkafka sends
                // AllowAutoTopicCreation=false there, Samsa leaves the field at its default, true.
                var (rm, cm) = ((MetadataRequest)reference, (MetadataRequest)candidate);
                if (cm.Topics is { Count: 0 } && rm.Topics is { Count: 0 })
                {
                    cm.AllowAutoTopicCreation = rm.AllowAutoTopicCreation;
                }

                break;
            case ApiKey.InitProducerId:
                // Without a transactional id the broker ignores the transaction timeout: librdkafka sends -1,
                // Samsa int.MaxValue as the Java client does.
                var (ri, ci) = ((InitProducerIdRequest)reference, (InitProducerIdRequest)candidate);
                if (ci.TransactionalId is null && ri.TransactionalId is null)
                {
                    ci.TransactionTimeoutMs = ri.TransactionTimeoutMs;
                }

                break;
            case ApiKey.Produce:
                // The producer id and epoch are whatever each cluster granted (the golden capture's cluster is
                // another). The batch's partition leader epoch is set by the broker on append: librdkafka sends
                // 0, Samsa -1 (NO_PARTITION_LEADER_EPOCH) as the Java client does. The CRC does not cover the
                // leader epoch but covers the producer fields, so it is recomputed after copying them.
                CopyProducerIdentity((ProduceRequest)reference, (ProduceRequest)candidate);
                break;
        }
    }

    private static void CopyProducerIdentity(ProduceRequest reference, ProduceRequest candidate)
    {
        ReadOnlyMemory<byte> source = reference.TopicData[0].PartitionData[0].Records!.Value;
        var referenceHeader = RecordBatch.Parse(source).Header;
        foreach (ProduceRequest.TopicProduceData t in candidate.TopicData)
        {
            foreach (ProduceRequest.PartitionProduceData p in t.PartitionData)
            {
                byte[] batch = p.Records!.Value.ToArray();
                BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(12), referenceHeader.PartitionLeaderEpoch);
                BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(43), referenceHeader.ProducerId);
                BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(51), referenceHeader.ProducerEpoch);
                BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(17), Crc32C.Compute(batch.AsSpan(21)));
                p.Records = batch;
            }
        }
    }
}
