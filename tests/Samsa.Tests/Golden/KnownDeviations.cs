using System.Buffers.Binary;
using Samsa.Protocol;
using Samsa.TestSupport;

namespace Samsa.Tests.Golden;

/// <summary>
/// The only frames in the golden captures that do not follow Kafka's specification byte for byte, each a bug of
/// librdkafka or of its mock cluster (not of Samsa), recognised by its exact bytes so that nothing else can
/// slip through under its cover.
/// </summary>
internal static class KnownDeviations
{
    /// <summary>The body librdkafka writes for a flexible Metadata request for all topics.</summary>
    public static ReadOnlySpan<byte> AllTopicsMetadataBody => [0, 0, 0, 0, 1, 0, 0];

    /// <summary>
    /// librdkafka (2.16.0; rd_kafka_MetadataRequest0) reserves the topic array count as an int32 and, for
    /// "all topics" at v9+, leaves that placeholder as is ("keep 0, varint encoded null") instead of shrinking
    /// it to the one-byte compact null. The body is 00 00 00 00 01 00 00: a broker reads Topics = null,
    /// AllowAutoTopicCreation = false, IncludeTopicAuthorizedOperations = false, no tagged fields, and ignores
    /// the 3 bytes librdkafka meant as those fields (01 00 00). Samsa reads exactly what a broker reads; the
    /// 3 bytes trail.
    /// </summary>
    public static bool IsAllTopicsMetadataRequest(CapturedFrame frame, int headerLength) =>
        frame.Direction == FrameDirection.Request && frame.ApiKey == ApiKey.Metadata && frame.Version >= 9
        && frame.Frame.AsSpan(headerLength).SequenceEqual(AllTopicsMetadataBody);

    /// <summary>
    /// librdkafka's mock answers an ApiVersions request it does not support at v3+ (the test host caps
    /// ApiVersions at v2) with a hand-made body that is neither v0 nor v3 (rdkafka_mock_handlers.c,
    /// rd_kafka_mock_handle_ApiVersion): error 35, the entry count as one raw byte (1, not the compact
    /// count+1), the ApiVersions entry (18, min, max) without tagged fields, throttle time 0, and no tagged
    /// fields. KIP-511 asks for a v0 body. The same code writes successful v3 responses, which is why the host
    /// caps ApiVersions at v2 (librdkafka itself fails against an uncapped mock).
    /// </summary>
    public static bool IsMockApiVersionsV3Rejection(CapturedFrame frame)
    {
        if (frame.Direction != FrameDirection.Response || frame.ApiKey != ApiKey.ApiVersions || frame.Version < 3
            || frame.Frame.Length != 4 + 13)
        {
            return false;
        }

        ReadOnlySpan<byte> body = frame.Frame.AsSpan(4); // ApiVersions responses always use header v0
        return BinaryPrimitives.ReadInt16BigEndian(body) == (short)ErrorCode.UnsupportedVersion
            && body[2] == 1
            && BinaryPrimitives.ReadInt16BigEndian(body[3..]) == (short)ApiKey.ApiVersions
            && BinaryPrimitives.ReadInt16BigEndian(body[5..]) == 0
            && BinaryPrimitives.ReadInt16BigEndian(body[7..]) < frame.Version
            && BinaryPrimitives.ReadInt32BigEndian(body[9..]) == 0;
    }
}
