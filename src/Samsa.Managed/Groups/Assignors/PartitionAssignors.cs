namespace Samsa.Groups;

/// <summary>The built-in assignors by strategy and by protocol name.</summary>
internal static class PartitionAssignors
{
    public static IPartitionAssignor For(PartitionAssignmentStrategy strategy) => strategy switch
    {
        PartitionAssignmentStrategy.Range => RangeAssignor.Instance,
        PartitionAssignmentStrategy.RoundRobin => RoundRobinAssignor.Instance,
        PartitionAssignmentStrategy.CooperativeSticky => new CooperativeStickyAssignor(),
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown partition assignment strategy."),
    };

    /// <summary>The assignors of a configuration, in its order of preference.</summary>
    public static IReadOnlyList<IPartitionAssignor> For(IReadOnlyList<PartitionAssignmentStrategy> strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        var list = new List<IPartitionAssignor>(strategies.Count);
        foreach (PartitionAssignmentStrategy s in strategies)
        {
            list.Add(For(s));
        }

        return list;
    }

    /// <summary>Subscribers of each topic that exists, members in <see cref="AssignorMember.Compare"/> order.</summary>
    internal static SortedDictionary<string, List<AssignorMember>> SubscribersByTopic(
        IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        var result = new SortedDictionary<string, List<AssignorMember>>(StringComparer.Ordinal);
        foreach (AssignorMember m in members)
        {
            foreach (string topic in m.Topics)
            {
                if (!partitionsPerTopic.ContainsKey(topic))
                {
                    continue;
                }

                if (!result.TryGetValue(topic, out List<AssignorMember>? list))
                {
                    list = [];
                    result[topic] = list;
                }

                if (!list.Contains(m))
                {
                    list.Add(m);
                }
            }
        }

        foreach (List<AssignorMember> list in result.Values)
        {
            list.Sort(AssignorMember.Compare);
        }

        return result;
    }

    internal static Dictionary<string, List<TopicPartition>> EmptyAssignment(IReadOnlyList<AssignorMember> members)
    {
        var result = new Dictionary<string, List<TopicPartition>>(members.Count, StringComparer.Ordinal);
        foreach (AssignorMember m in members)
        {
            result[m.MemberId] = [];
        }

        return result;
    }
}
