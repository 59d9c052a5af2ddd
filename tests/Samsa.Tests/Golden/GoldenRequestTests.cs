using Samsa.Protocol;
using Samsa.TestSupport;

namespace Samsa.Tests.Golden;

/// <summary>
/// Every request librdkafka wrote in the golden captures (Confluent.Kafka on librdkafka 2.16.0, kcat on
/// librdkafka 2.0.2) reads with Samsa's generated classes at its version, consuming exactly its bytes, and
/// writes back to exactly the same bytes.
/// </summary>
public sealed class GoldenRequestTests
{
    public static TheoryData<string> Captures() => GoldenFrames.CaptureNames();

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_request_decodes_exactly_and_reencodes_to_the_same_bytes(string capture) =>
        GoldenFrameCheck.Every(capture, FrameDirection.Request, frame =>
        {
            DecodedRequest decoded = FrameCodec.DecodeRequest(frame);
            if (decoded.Header.RequestApiKey != (short)frame.ApiKey || decoded.Header.RequestApiVersion != frame.Version
                || decoded.Header.CorrelationId != frame.CorrelationId)
            {
                return $"header reads as key {decoded.Header.RequestApiKey} v{decoded.Header.RequestApiVersion} cid {decoded.Header.CorrelationId}";
            }

            // The one librdkafka bug in the captures: see KnownDeviations.IsAllTopicsMetadataRequest.
            int expectedTrailing = KnownDeviations.IsAllTopicsMetadataRequest(frame, decoded.HeaderLength) ? 3 : 0;
            return GoldenFrameCheck.TrailingAndReencoding(frame, decoded.Trailing, expectedTrailing,
                () => FrameCodec.Encode(decoded.Header, frame.HeaderVersion, decoded.Body, frame.Version));
        });

    /// <summary>
    /// librdkafka's flexible all-topics Metadata request leaves a 4-byte placeholder for the topic count; a
    /// broker (and Samsa) reads null topics and false flags, and 3 bytes trail. Pinned here so that the
    /// exception above stays exact, and so that a librdkafka fix shows up when the captures are regenerated.
    /// </summary>
    [Fact]
    public void Librdkafka_all_topics_metadata_request_reads_as_a_broker_reads_it()
    {
        int found = 0;
        foreach (string path in GoldenData.CaptureFiles())
        {
            foreach (CapturedFrame frame in CaptureFile.Read(path))
            {
                if (frame.Direction != FrameDirection.Request || frame.ApiKey != ApiKey.Metadata)
                {
                    continue;
                }

                DecodedRequest decoded = FrameCodec.DecodeRequest(frame);
                if (!KnownDeviations.IsAllTopicsMetadataRequest(frame, decoded.HeaderLength))
                {
                    continue;
                }

                found++;
                var body = Assert.IsType<Samsa.Protocol.Messages.MetadataRequest>(decoded.Body);
                Assert.Null(body.Topics);
                Assert.False(body.AllowAutoTopicCreation);
                Assert.False(body.IncludeTopicAuthorizedOperations);
                Assert.Null(body.UnknownTaggedFields);
                Assert.Equal(new byte[] { 1, 0, 0 }, frame.Frame[^3..]);
            }
        }

        Assert.True(found > 0, "no all-topics Metadata request in the captures (confluent-metadata-watermarks should hold one)");
    }

    /// <summary>A regenerated capture set must still exercise every API the brief asks for.</summary>
    [Fact]
    public void The_captures_cover_every_api_the_clients_use()
    {
        var seen = new HashSet<(ApiKey, string)>();
        foreach (string path in GoldenData.CaptureFiles())
        {
            string source = Path.GetFileName(path).StartsWith("kcat", StringComparison.Ordinal) ? "kcat" : "confluent";
            foreach (CapturedFrame f in CaptureFile.Read(path))
            {
                seen.Add((f.ApiKey, source));
            }
        }

        ApiKey[] both =
        [
            ApiKey.ApiVersions, ApiKey.Metadata, ApiKey.InitProducerId, ApiKey.Produce, ApiKey.Fetch, ApiKey.ListOffsets,
            ApiKey.FindCoordinator, ApiKey.JoinGroup, ApiKey.SyncGroup, ApiKey.Heartbeat, ApiKey.OffsetCommit,
            ApiKey.OffsetFetch, ApiKey.LeaveGroup,
        ];
        foreach (ApiKey key in both)
        {
            Assert.Contains((key, "confluent"), seen);
            Assert.Contains((key, "kcat"), seen);
        }

        Assert.Contains((ApiKey.ConsumerGroupHeartbeat, "confluent"), seen);
    }
}
