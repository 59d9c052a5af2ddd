using Samsa.Protocol;
using Samsa.TestSupport;

namespace Samsa.Tests.Golden;

/// <summary>
/// Every response librdkafka's mock cluster wrote in the golden captures reads with Samsa's generated classes
/// at its version and writes back to the same bytes, with the mock's documented quirks as the only exceptions.
/// </summary>
public sealed class GoldenResponseTests
{
    public static TheoryData<string> Captures() => GoldenFrames.CaptureNames();

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_response_decodes_exactly_and_reencodes_to_the_same_bytes(string capture) =>
        GoldenFrameCheck.Every(capture, FrameDirection.Response, frame =>
        {
            if (KnownDeviations.IsMockApiVersionsV3Rejection(frame))
            {
                return null; // the mock's malformed body, pinned byte for byte by the test below
            }

            DecodedResponse decoded = FrameCodec.DecodeResponse(frame);
            if (decoded.Header.CorrelationId != frame.CorrelationId)
            {
                return $"header reads as cid {decoded.Header.CorrelationId}";
            }

            int expectedTrailing = ExpectedTrailingBytes(frame);
            if (decoded.Trailing == 1 && expectedTrailing == 1 && frame.Frame[^1] != 0)
            {
                return $"the trailing byte is {frame.Frame[^1]}, not the mock's extra empty tag buffer (0)";
            }

            return GoldenFrameCheck.TrailingAndReencoding(frame, decoded.Trailing, expectedTrailing,
                () => FrameCodec.Encode(decoded.Header, frame.HeaderVersion, decoded.Body, frame.Version));
        });

    /// <summary>
    /// The mock rejects ApiVersions v3 (the host caps it at v2) with a body that follows no version; Samsa
    /// cannot read it as v3 and must fall back (KafkaConnection steps down a version). Every such frame in the
    /// captures has exactly the layout of KnownDeviations.IsMockApiVersionsV3Rejection.
    /// </summary>
    [Fact]
    public void Mock_rejects_apiversions_v3_with_its_own_layout()
    {
        int found = 0;
        foreach (string path in GoldenData.CaptureFiles())
        {
            foreach (CapturedFrame frame in CaptureFile.Read(path))
            {
                if (frame.Direction != FrameDirection.Response || frame.ApiKey != ApiKey.ApiVersions || frame.Version < 3)
                {
                    continue;
                }

                Assert.True(KnownDeviations.IsMockApiVersionsV3Rejection(frame), $"{Path.GetFileName(path)}: {frame}: {Convert.ToHexStringLower(frame.Frame)}");
                Assert.Equal("00230100120000000200000000", Convert.ToHexStringLower(frame.Frame.AsSpan(4)));
                found++;
            }
        }

        Assert.True(found > 0, "no ApiVersions v3 response in the captures");
    }

    /// <summary>
    /// The mock writes one byte (0) after the body of every flexible Metadata response (v9+): its handler
    /// writes the top-level empty tag buffer itself, then rd_kafka_mock_connection_send_response0 (told the
    /// tags are not written) adds another. Nothing else may trail a body.
    /// </summary>
    private static int ExpectedTrailingBytes(CapturedFrame frame) =>
        frame.ApiKey == ApiKey.Metadata && frame.Version >= 9 ? 1 : 0;
}
