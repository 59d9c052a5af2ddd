using System.Buffers.Binary;
using Samsa.Diagnostics;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Network;

internal sealed partial class KafkaConnection
{
    private short _apiVersionsVersion;

    /// <summary>
    /// ApiVersions at the highest version this client knows. A broker that does not know it answers with
    /// UNSUPPORTED_VERSION in a v0 body listing its own range (KIP-511); we retry at the highest version it lists.
    /// </summary>
    private async ValueTask NegotiateVersionsAsync(CancellationToken cancellationToken)
    {
        short version = ClientApiVersions.For(ApiKey.ApiVersions).Max;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var request = new ApiVersionsRequest
            {
                ClientSoftwareName = _options.SoftwareName,
                ClientSoftwareVersion = _options.SoftwareVersion,
            };
            using ResponseFrame frame = await SendFrameAsync<ApiVersionsRequest, ApiVersionsResponse>(request, version, null, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte> body = frame.Body(0);
            if (body.Length < 2)
            {
                throw new ProtocolException($"Broker {Name} sent an empty ApiVersions response.");
            }

            short error = BinaryPrimitives.ReadInt16BigEndian(body.Span);
            if (error == (short)ErrorCode.UnsupportedVersion)
            {
                // KIP-511: the broker answers an unknown version with its own range for ApiVersions, in a v0 body
                // (some brokers, librdkafka's mock among them, in the request's version): read either; if neither
                // tells, step down one version.
                short retry = (short)(version - 1);
                short advertised = AdvertisedApiVersionsMax(body, version) ?? AdvertisedApiVersionsMax(body, 0) ?? -1;
                if (advertised >= 0 && advertised < version)
                {
                    retry = advertised;
                }

                SamsaLog.ApiVersionsDowngrade(_options.Logger, Name, version, retry);
                if (retry < 0)
                {
                    break;
                }

                version = retry;
                continue;
            }

            var reader = new ProtocolReader(body);
            ApiVersionsResponse response = ApiVersionsResponse.Read(ref reader, version);
            if (response.ErrorCode != 0)
            {
                var code = (ErrorCode)response.ErrorCode;
                throw new KafkaException(code, $"Broker {Name} refused ApiVersions: {code.Describe()}");
            }

            _apiVersions = new BrokerApiVersions(response);
            _apiVersionsVersion = version;
            return;
        }

        throw new KafkaException(ErrorCode.UnsupportedVersion, $"Broker {Name} supports no ApiVersions version this client knows.");
    }

    private static short? AdvertisedApiVersionsMax(ReadOnlyMemory<byte> body, short version)
    {
        try
        {
            var reader = new ProtocolReader(body);
            ApiVersionsResponse response = ApiVersionsResponse.Read(ref reader, version);
            foreach (ApiVersionsResponse.ApiVersion v in response.ApiKeys)
            {
                if (v.ApiKey == (short)ApiKey.ApiVersions)
                {
                    return v.MaxVersion;
                }
            }
        }
        catch (ProtocolException)
        {
        }

        return null;
    }
}
