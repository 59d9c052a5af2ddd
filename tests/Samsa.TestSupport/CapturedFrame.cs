using Samsa.Protocol;

namespace Samsa.TestSupport;

/// <summary>Which way a captured frame went.</summary>
public enum FrameDirection
{
    /// <summary>Client to broker.</summary>
    Request,

    /// <summary>Broker to client.</summary>
    Response,
}

/// <summary>
/// One Kafka frame seen by a <see cref="RecordingProxy"/>: the bytes after the 4-byte size prefix, so a request
/// frame starts with its request header (api key, version, correlation id, ...) and a response frame with its
/// correlation id. A response carries the api key and version of the request it answers.
/// </summary>
/// <param name="Direction">Request or response.</param>
/// <param name="ApiKey">The request's API.</param>
/// <param name="Version">The request's API version.</param>
/// <param name="CorrelationId">The correlation id in the frame's header.</param>
/// <param name="BrokerId">The broker the connection went to.</param>
/// <param name="Connection">Number of the client connection (1, 2, ... in accept order over the whole proxy).</param>
/// <param name="Frame">The frame without its size prefix.</param>
public sealed record CapturedFrame(
    FrameDirection Direction, ApiKey ApiKey, short Version, int CorrelationId, int BrokerId, int Connection, byte[] Frame)
{
    /// <summary>The header version this frame uses (request header 0-2, response header 0-1).</summary>
    public short HeaderVersion => Direction == FrameDirection.Request
        ? MessageCatalog.RequestHeaderVersion(ApiKey, Version)
        : MessageCatalog.ResponseHeaderVersion(ApiKey, Version);

    /// <summary>"REQ Metadata v12 cid 5 (broker 1, conn 2)" for messages.</summary>
    public override string ToString() =>
        $"{(Direction == FrameDirection.Request ? "REQ" : "RES")} {ApiKey} v{Version} cid {CorrelationId} (broker {BrokerId}, conn {Connection}, {Frame.Length} bytes)";
}
