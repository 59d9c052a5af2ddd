using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Network;

/// <summary>The versions a broker advertised in its ApiVersions response, negotiated against this client's.</summary>
internal sealed class BrokerApiVersions
{
    private readonly ApiVersionRange[] _broker;
    private readonly short[] _negotiated;

    public BrokerApiVersions(ApiVersionsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        int size = 0;
        foreach (ApiVersionsResponse.ApiVersion v in response.ApiKeys)
        {
            size = Math.Max(size, v.ApiKey + 1);
        }

        foreach (ApiKey key in MessageCatalog.ApiKeys)
        {
            size = Math.Max(size, (int)key + 1);
        }

        _broker = new ApiVersionRange[size];
        Array.Fill(_broker, ApiVersionRange.Unsupported);
        foreach (ApiVersionsResponse.ApiVersion v in response.ApiKeys)
        {
            if (v.ApiKey >= 0)
            {
                _broker[v.ApiKey] = new ApiVersionRange(v.MinVersion, v.MaxVersion);
            }
        }

        _negotiated = new short[size];
        for (int i = 0; i < size; i++)
        {
            _negotiated[i] = ClientApiVersions.For((ApiKey)i).HighestCommon(_broker[i]);
        }
    }

    /// <summary>How many APIs both sides support.</summary>
    public int CommonCount
    {
        get
        {
            int n = 0;
            foreach (short v in _negotiated)
            {
                if (v >= 0)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>What the broker advertised for an API.</summary>
    public ApiVersionRange Broker(ApiKey apiKey) =>
        (uint)apiKey < (uint)_broker.Length ? _broker[(int)apiKey] : ApiVersionRange.Unsupported;

    /// <summary>The highest version both sides support, or -1.</summary>
    public short Negotiated(ApiKey apiKey) =>
        (uint)apiKey < (uint)_negotiated.Length ? _negotiated[(int)apiKey] : (short)-1;

    /// <summary>True when both sides support the API.</summary>
    public bool Supports(ApiKey apiKey) => Negotiated(apiKey) >= 0;
}
