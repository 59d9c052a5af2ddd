using Samsa.Protocol;

namespace Samsa.Network;

/// <summary>
/// The versions of each API this client implements. A version is listed only where the code that fills the
/// request and reads the response handles its semantics; APIs not listed use the full range of their
/// specification (their request and response are plain data the caller fills).
/// </summary>
internal static class ClientApiVersions
{
    private static readonly ApiVersionRange[] Table = Build();

    /// <summary>The range this client implements for an API.</summary>
    public static ApiVersionRange For(ApiKey apiKey) =>
        (int)apiKey >= 0 && (int)apiKey < Table.Length ? Table[(int)apiKey] : ApiVersionRange.Unsupported;

    private static ApiVersionRange[] Build()
    {
        int max = 0;
        foreach (ApiKey key in MessageCatalog.ApiKeys)
        {
            max = Math.Max(max, (int)key);
        }

        var table = new ApiVersionRange[max + 1];
        Array.Fill(table, ApiVersionRange.Unsupported);
        foreach (ApiKey key in MessageCatalog.ApiKeys)
        {
            var (low, high) = MessageCatalog.Versions(key);
            table[(int)key] = new ApiVersionRange(low, high);
        }

        // Record batches v2 need Produce v3+ and Fetch v4+; Fetch v13+ addresses topics by id only.
        table[(int)ApiKey.Produce] = new(3, 11);
        table[(int)ApiKey.Fetch] = new(4, 12);
        table[(int)ApiKey.ListOffsets] = new(1, 8);
        table[(int)ApiKey.Metadata] = new(1, 12);
        table[(int)ApiKey.OffsetCommit] = new(2, 9);
        table[(int)ApiKey.OffsetFetch] = new(1, 9);
        table[(int)ApiKey.FindCoordinator] = new(0, 4);
        table[(int)ApiKey.JoinGroup] = new(0, 9);
        table[(int)ApiKey.Heartbeat] = new(0, 4);
        table[(int)ApiKey.LeaveGroup] = new(0, 5);
        table[(int)ApiKey.SyncGroup] = new(0, 5);
        table[(int)ApiKey.ApiVersions] = new(0, 3);
        table[(int)ApiKey.InitProducerId] = new(0, 5);
        table[(int)ApiKey.SaslHandshake] = new(0, 1);
        table[(int)ApiKey.SaslAuthenticate] = new(0, 2);
        table[(int)ApiKey.OffsetForLeaderEpoch] = new(2, 4);
        table[(int)ApiKey.ConsumerGroupHeartbeat] = new(0, 1);
        return table;
    }
}
