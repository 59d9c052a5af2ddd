using Samsa.Buffers;
using Samsa.Protocol;

namespace Samsa.Groups;

/// <summary>
/// cooperative-sticky (Java CooperativeStickyAssignor, librdkafka cooperative-sticky): members keep what they
/// validly own, the rest is spread to balance the counts, and a partition that changes owner is left out of
/// this round (its owner revokes it; the follow-up rebalance gives it to the new owner), per KIP-429.
/// </summary>
internal sealed class CooperativeStickyAssignor : IPartitionAssignor
{
    public string Name => "cooperative-sticky";

    public RebalanceProtocol Protocol => RebalanceProtocol.Cooperative;

    /// <summary>
    /// librdkafka's sticky UserData (previous assignment, then generation) once the member has had an assignment;
    /// none before. Readers that know subscription v2 take the same facts from OwnedPartitions and GenerationId.
    /// </summary>
    public byte[]? SubscriptionUserData(IReadOnlyList<TopicPartition> owned, int generation)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (generation < 0)
        {
            return null;
        }

        using var buffer = new PooledBufferWriter(64);
        var writer = new ProtocolWriter(buffer);
        var order = new List<string>();
        var byTopic = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (TopicPartition tp in owned)
        {
            if (!byTopic.TryGetValue(tp.Topic, out List<int>? list))
            {
                byTopic[tp.Topic] = list = [];
                order.Add(tp.Topic);
            }

            list.Add(tp.Partition);
        }

        writer.WriteArrayLength(order.Count, compact: false);
        foreach (string topic in order)
        {
            writer.WriteString(topic, compact: false);
            List<int> partitions = byTopic[topic];
            writer.WriteArrayLength(partitions.Count, compact: false);
            foreach (int p in partitions)
            {
                writer.WriteInt32(p);
            }
        }

        writer.WriteInt32(generation);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The generation a pre-v2 subscription carries in its UserData: Java's cooperative-sticky writes just the
    /// int32 generation, librdkafka and Java's sticky write the previous assignment and then the generation.
    /// </summary>
    public static int GenerationFromUserData(byte[]? userData)
    {
        if (userData is null || userData.Length < 4)
        {
            return -1;
        }

        if (userData.Length == 4)
        {
            return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(userData);
        }

        try
        {
            var reader = new ProtocolReader(userData);
            int topics = reader.ReadArrayLength(compact: false, 6);
            for (int i = 0; i < topics; i++)
            {
                reader.ReadString(compact: false);
                int partitions = reader.ReadArrayLength(compact: false, 4);
                reader.Skip(partitions * 4);
            }

            return reader.Remaining >= 4 ? reader.ReadInt32() : -1;
        }
        catch (ProtocolException)
        {
            return -1;
        }
    }

    public Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<AssignorMember> members)
    {
        ArgumentNullException.ThrowIfNull(partitionsPerTopic);
        ArgumentNullException.ThrowIfNull(members);
        var sorted = new List<AssignorMember>(members);
        sorted.Sort(AssignorMember.Compare);
        var balancer = new StickyBalancer(partitionsPerTopic, sorted);
        Dictionary<string, List<TopicPartition>> result = balancer.Balance();
        LeaveOutTransfers(result, sorted, balancer.Voided);
        return result;
    }

    /// <summary>
    /// A partition some other member still claims to own is taken out of its new owner's assignment: the old
    /// owner sees it missing and revokes it, and the rebalance that follows hands it over. A partition claimed by
    /// two members in the same generation goes to nobody this round, so that both revoke it first.
    /// </summary>
    private static void LeaveOutTransfers(Dictionary<string, List<TopicPartition>> result, List<AssignorMember> members, IReadOnlySet<TopicPartition> voided)
    {
        var claims = new Dictionary<TopicPartition, List<string>>();
        foreach (AssignorMember m in members)
        {
            foreach (TopicPartition tp in m.OwnedPartitions)
            {
                if (!claims.TryGetValue(tp, out List<string>? owners))
                {
                    claims[tp] = owners = [];
                }

                owners.Add(m.MemberId);
            }
        }

        foreach (var (memberId, assigned) in result)
        {
            assigned.RemoveAll(tp => voided.Contains(tp) || (claims.TryGetValue(tp, out List<string>? owners) && !owners.Contains(memberId)));
        }
    }
}
