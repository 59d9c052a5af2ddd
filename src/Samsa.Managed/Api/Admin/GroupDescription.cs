namespace Samsa;

/// <summary>A group in a listing, as the coordinator that hosts it reported it.</summary>
public sealed record GroupListing(string GroupId, string ProtocolType, int CoordinatorId)
{
    /// <summary>The group's state (ListGroups v4+; "" otherwise), e.g. Stable, Empty, PreparingRebalance.</summary>
    public string State { get; init; } = "";

    /// <summary>The group's type (ListGroups v5+; "" otherwise): classic, consumer, share.</summary>
    public string Type { get; init; } = "";
}

/// <summary>One member of a described group.</summary>
public sealed record GroupMemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost)
{
    /// <summary>The partitions assigned to the member (decoded for groups of protocol type "consumer").</summary>
    public IReadOnlyList<TopicPartition> Assignment { get; init; } = [];
}

/// <summary>A described group, or the error that prevented describing it.</summary>
public sealed record GroupDescription(string GroupId, ErrorCode Error, string? ErrorMessage) : IAdminResult
{
    /// <summary>Stable, Empty, PreparingRebalance, CompletingRebalance, Dead.</summary>
    public string State { get; init; } = "";

    /// <summary>"consumer" for consumer groups, "" for a group with no members.</summary>
    public string ProtocolType { get; init; } = "";

    /// <summary>The chosen protocol: for consumer groups, the assignor (range, roundrobin, cooperative-sticky...).</summary>
    public string Protocol { get; init; } = "";

    public IReadOnlyList<GroupMemberDescription> Members { get; init; } = [];

    /// <summary>The coordinator that answered.</summary>
    public Node? Coordinator { get; init; }

    public string Subject => $"group '{GroupId}'";
}

/// <summary>The outcome of deleting one group.</summary>
public sealed record DeleteGroupResult(string GroupId, ErrorCode Error, string? ErrorMessage = null) : IAdminResult
{
    public string Subject => $"group '{GroupId}'";
}

/// <summary>
/// Thrown by <see cref="AdminClient.ListGroupsAsync"/> when some brokers could not list their groups:
/// <see cref="Groups"/> holds what the other brokers answered, <see cref="BrokerErrors"/> each failure.
/// </summary>
public sealed class ListGroupsException : KafkaException
{
    public ListGroupsException(IReadOnlyList<GroupListing> groups, IReadOnlyDictionary<int, KafkaException> brokerErrors)
        : base(First(brokerErrors).Error, Describe(brokerErrors))
    {
        Groups = groups;
        BrokerErrors = brokerErrors;
    }

    public IReadOnlyList<GroupListing> Groups { get; }

    /// <summary>Broker id to the error that broker's listing ended with.</summary>
    public IReadOnlyDictionary<int, KafkaException> BrokerErrors { get; }

    private static KafkaException First(IReadOnlyDictionary<int, KafkaException> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (KafkaException e in errors.Values)
        {
            return e;
        }

        return new KafkaException(ErrorCode.UnknownServerError, "no error");
    }

    private static string Describe(IReadOnlyDictionary<int, KafkaException> errors)
    {
        var parts = new List<string>(errors.Count);
        foreach (var (broker, error) in errors)
        {
            parts.Add($"broker {broker}: {error.Message}");
        }

        parts.Sort(StringComparer.Ordinal);
        return $"ListGroups: {errors.Count} broker(s) failed: {string.Join("; ", parts)}";
    }
}
