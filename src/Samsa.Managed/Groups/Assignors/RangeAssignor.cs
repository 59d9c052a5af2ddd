namespace Samsa.Groups;

/// <summary>
/// range (Java RangeAssignor, librdkafka range): per topic, the subscribers in member order take contiguous
/// ranges of partitions; the first (partitions % subscribers) members take one more.
/// </summary>
internal sealed class RangeAssignor : IPartitionAssignor
{
    public static readonly RangeAssignor Instance = new();

    public string Name => "range";

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public byte[]? SubscriptionUserData(IReadOnlyList<TopicPartition> owned, int generation) => null;

    public Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        ArgumentNullException.ThrowIfNull(partitionsPerTopic);
        ArgumentNullException.ThrowIfNull(members);
        Dictionary<string, List<TopicPartition>> result = PartitionAssignors.EmptyAssignment(members);
        foreach (var (topic, subscribers) in PartitionAssignors.SubscribersByTopic(partitionsPerTopic, members))
        {
            int partitions = partitionsPerTopic[topic];
            int perMember = partitions / subscribers.Count;
            int extra = partitions % subscribers.Count;
            for (int i = 0; i < subscribers.Count; i++)
            {
                int start = (perMember * i) + Math.Min(i, extra);
                int length = perMember + (i < extra ? 1 : 0);
                List<TopicPartition> target = result[subscribers[i].MemberId];
                for (int p = start; p < start + length; p++)
                {
                    target.Add(new TopicPartition(topic, p));
                }
            }
        }

        return result;
    }
}
