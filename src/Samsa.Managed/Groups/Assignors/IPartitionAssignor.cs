namespace Samsa.Groups;

/// <summary>How a classic-protocol assignor moves partitions between members.</summary>
internal enum RebalanceProtocol
{
    /// <summary>Every member revokes everything before rejoining (range, roundrobin).</summary>
    Eager,

    /// <summary>Members keep what they own; only partitions that move are revoked (KIP-429).</summary>
    Cooperative,
}

/// <summary>One member as the leader's assignor sees it.</summary>
internal sealed record AssignorMember(
    string MemberId,
    string? GroupInstanceId,
    IReadOnlyList<string> Topics,
    IReadOnlyList<TopicPartition> OwnedPartitions,
    int Generation = -1,
    string? RackId = null)
{
    /// <summary>
    /// The Java client's member order (MemberInfo): static members first, by group.instance.id, then dynamic
    /// members by member id. With only dynamic members this is librdkafka's order too.
    /// </summary>
    public static int Compare(AssignorMember? a, AssignorMember? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }

        if (a.GroupInstanceId is not null && b.GroupInstanceId is not null)
        {
            return string.CompareOrdinal(a.GroupInstanceId, b.GroupInstanceId);
        }

        if (a.GroupInstanceId is not null)
        {
            return -1;
        }

        if (b.GroupInstanceId is not null)
        {
            return 1;
        }

        return string.CompareOrdinal(a.MemberId, b.MemberId);
    }
}

/// <summary>A client-side partition assignor of the classic protocol, run by the group leader.</summary>
internal interface IPartitionAssignor
{
    /// <summary>The protocol name JoinGroup lists (range, roundrobin, cooperative-sticky).</summary>
    string Name { get; }

    RebalanceProtocol Protocol { get; }

    /// <summary>The UserData this member puts in its subscription (null for none).</summary>
    byte[]? SubscriptionUserData(IReadOnlyList<TopicPartition> owned, int generation);

    /// <summary>
    /// Assigns the partitions of <paramref name="partitionsPerTopic"/> (topics that exist, with their partition
    /// counts) to <paramref name="members"/>. Every member gets an entry, possibly empty.
    /// </summary>
    Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members);
}
