namespace Samsa.Groups;

/// <summary>
/// roundrobin (Java RoundRobinAssignor, librdkafka roundrobin): all partitions of all subscribed topics, topics
/// by name and partitions in order, dealt to the members in turn, skipping members not subscribed to the topic.
/// </summary>
internal sealed class RoundRobinAssignor : IPartitionAssignor
{
    public static readonly RoundRobinAssignor Instance = new();

    public string Name => "roundrobin";

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public byte[]? SubscriptionUserData(IReadOnlyList<TopicPartition> owned, int generation) => null;

    public Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        ArgumentNullException.ThrowIfNull(partitionsPerTopic);
        ArgumentNullException.ThrowIfNull(members);
        Dictionary<string, List<TopicPartition>> result = PartitionAssignors.EmptyAssignment(members);
        if (members.Count == 0)
        {
            return result;
        }

        var sorted = new List<AssignorMember>(members);
        sorted.Sort(AssignorMember.Compare);
        var subscribed = new HashSet<string>[sorted.Count];
        for (int i = 0; i < sorted.Count; i++)
        {
            subscribed[i] = new HashSet<string>(sorted[i].Topics, StringComparer.Ordinal);
        }

        int next = -1;
        foreach (var (topic, _) in PartitionAssignors.SubscribersByTopic(partitionsPerTopic, members))
        {
            int partitions = partitionsPerTopic[topic];
            for (int p = 0; p < partitions; p++)
            {
                // Some member subscribes to the topic (SubscribersByTopic lists only such topics): this ends.
                do
                {
                    next = (next + 1) % sorted.Count;
                }
                while (!subscribed[next].Contains(topic));

                result[sorted[next].MemberId].Add(new TopicPartition(topic, p));
            }
        }

        return result;
    }
}
