using System.Buffers;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport.SecureFront;

/// <summary>
/// Rewrites the broker addresses in Metadata, FindCoordinator and DescribeCluster responses so that clients
/// come back through the front, and adds the SASL APIs to ApiVersions responses. Other frames pass unchanged;
/// so does a frame that does not parse (counted in <see cref="Failures"/>).
/// </summary>
internal sealed class ResponseRewriter(IReadOnlyDictionary<int, int> frontPortByUpstreamPort, string advertisedHost, bool addSasl)
{
    private int _failures;

    public int Failures => Volatile.Read(ref _failures);

    public static bool Rewrites(ApiKey key) => key is ApiKey.Metadata or ApiKey.FindCoordinator or ApiKey.DescribeCluster or ApiKey.ApiVersions;

    /// <summary>The frame (without size prefix) to send the client.</summary>
    public byte[] Rewrite(ApiKey key, short version, byte[] frame)
    {
        try
        {
            short headerVersion = MessageCatalog.ResponseHeaderVersion(key, version);
            var reader = new ProtocolReader(frame);
            ResponseHeader.Read(ref reader, headerVersion);
            int headerLength = reader.Position;
            IKafkaMessage body = MessageCatalog.ReadResponse(key, ref reader, version);
            bool changed = body switch
            {
                MetadataResponse m => RewriteMetadata(m),
                FindCoordinatorResponse f => RewriteCoordinator(f, version),
                DescribeClusterResponse d => RewriteCluster(d),
                ApiVersionsResponse a => AdjustApiVersions(a),
                _ => false,
            };
            if (!changed)
            {
                return frame;
            }

            var buffer = new ArrayBufferWriter<byte>(frame.Length + 64);
            buffer.Write(frame.AsSpan(0, headerLength));
            var writer = new ProtocolWriter(buffer);
            body.Write(ref writer, version);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is ProtocolException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            Interlocked.Increment(ref _failures);
            return frame;
        }
    }

    /// <summary>
    /// Points one advertised endpoint at the front when it is one of the upstream brokers (through
    /// <paramref name="set"/>). A null host (the mock's FindCoordinator error responses) is left alone.
    /// </summary>
    private bool Map(string? host, int port, Action<string, int> set)
    {
        if (host is null || !frontPortByUpstreamPort.TryGetValue(port, out int front))
        {
            return false;
        }

        set(advertisedHost, front);
        return true;
    }

    private bool RewriteMetadata(MetadataResponse response)
    {
        bool changed = false;
        foreach (MetadataResponse.MetadataResponseBroker b in response.Brokers)
        {
            changed |= Map(b.Host, b.Port, (host, port) => (b.Host, b.Port) = (host, port));
        }

        return changed;
    }

    private bool RewriteCoordinator(FindCoordinatorResponse response, short version)
    {
        if (version < 4)
        {
            return Map(response.Host, response.Port, (host, port) => (response.Host, response.Port) = (host, port));
        }

        bool changed = false;
        foreach (FindCoordinatorResponse.Coordinator c in response.Coordinators)
        {
            changed |= Map(c.Host, c.Port, (host, port) => (c.Host, c.Port) = (host, port));
        }

        return changed;
    }

    private bool RewriteCluster(DescribeClusterResponse response)
    {
        bool changed = false;
        foreach (DescribeClusterResponse.DescribeClusterBroker b in response.Brokers)
        {
            changed |= Map(b.Host, b.Port, (host, port) => (b.Host, b.Port) = (host, port));
        }

        return changed;
    }

    /// <summary>
    /// Caps the APIs the front rewrites at the versions Samsa's generated messages know (the mock may advertise
    /// newer ones, whose fields re-encoding would drop), and adds the SASL APIs when the front does SASL.
    /// </summary>
    private bool AdjustApiVersions(ApiVersionsResponse response)
    {
        if (response.ErrorCode != 0)
        {
            return false;
        }

        bool changed = false;
        foreach (ApiVersionsResponse.ApiVersion api in response.ApiKeys)
        {
            var key = (ApiKey)api.ApiKey;
            if (key is ApiKey.Metadata or ApiKey.FindCoordinator or ApiKey.DescribeCluster && MessageCatalog.Versions(key).Highest < api.MaxVersion)
            {
                api.MaxVersion = MessageCatalog.Versions(key).Highest;
                changed = true;
            }
        }

        if (!addSasl)
        {
            return changed;
        }

        response.ApiKeys.RemoveAll(a => a.ApiKey is (short)ApiKey.SaslHandshake or (short)ApiKey.SaslAuthenticate);
        response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.SaslHandshake, MinVersion = 0, MaxVersion = 1 });
        response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)ApiKey.SaslAuthenticate, MinVersion = 0, MaxVersion = 2 });
        response.ApiKeys.Sort((a, b) => a.ApiKey.CompareTo(b.ApiKey));
        return true;
    }
}
