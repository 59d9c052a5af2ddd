namespace Samsa.Groups;

/// <summary>
/// The sticky part of cooperative-sticky: start from what each member validly owns (the claim of the highest
/// generation wins; two claims in the same generation void each other), give every other partition to the
/// least-loaded subscriber, then move partitions from a member to a subscriber with at least two fewer until
/// no such move exists — the Java client's notion of balance. Moves prefer partitions the member did not own.
/// </summary>
internal sealed class StickyBalancer
{
    private readonly IReadOnlyDictionary<string, int> _partitionsPerTopic;
    private readonly List<AssignorMember> _members;
    private readonly Dictionary<string, HashSet<string>> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TopicPartition>> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<TopicPartition>> _previouslyOwned = new(StringComparer.Ordinal);
    private readonly HashSet<TopicPartition> _voided = [];

    public StickyBalancer(IReadOnlyDictionary<string, int> partitionsPerTopic, List<AssignorMember> sortedMembers)
    {
        _partitionsPerTopic = partitionsPerTopic;
        _members = sortedMembers;
        foreach (AssignorMember m in sortedMembers)
        {
            _subscriptions[m.MemberId] = new HashSet<string>(m.Topics, StringComparer.Ordinal);
            _current[m.MemberId] = [];
            _previouslyOwned[m.MemberId] = [];
        }
    }

    /// <summary>Partitions two members claimed in the same generation: neither keeps them this round.</summary>
    public IReadOnlySet<TopicPartition> Voided => _voided;

    public Dictionary<string, List<TopicPartition>> Balance()
    {
        HashSet<TopicPartition> assigned = KeepValidOwnership();
        AssignRemaining(assigned);
        MoveUntilBalanced();
        foreach (List<TopicPartition> list in _current.Values)
        {
            list.Sort(static (a, b) => a.Topic == b.Topic ? a.Partition.CompareTo(b.Partition) : string.CompareOrdinal(a.Topic, b.Topic));
        }

        return _current;
    }

    private bool Exists(TopicPartition tp) =>
        _partitionsPerTopic.TryGetValue(tp.Topic, out int count) && tp.Partition >= 0 && tp.Partition < count;

    private HashSet<TopicPartition> KeepValidOwnership()
    {
        var owner = new Dictionary<TopicPartition, (string MemberId, int Generation)>();
        var voided = new HashSet<TopicPartition>();
        foreach (AssignorMember m in _members)
        {
            foreach (TopicPartition tp in m.OwnedPartitions)
            {
                if (!Exists(tp) || !_subscriptions[m.MemberId].Contains(tp.Topic))
                {
                    continue;
                }

                if (!owner.TryGetValue(tp, out var existing) || m.Generation > existing.Generation)
                {
                    owner[tp] = (m.MemberId, m.Generation);
                    voided.Remove(tp);
                }
                else if (m.Generation == existing.Generation && existing.MemberId != m.MemberId)
                {
                    voided.Add(tp);
                }
            }
        }

        _voided.UnionWith(voided);
        var assigned = new HashSet<TopicPartition>();
        foreach (var (tp, (memberId, _)) in owner)
        {
            if (!voided.Contains(tp))
            {
                _current[memberId].Add(tp);
                _previouslyOwned[memberId].Add(tp);
                assigned.Add(tp);
            }
        }

        return assigned;
    }

    private void AssignRemaining(HashSet<TopicPartition> assigned)
    {
        var topics = new List<string>(_partitionsPerTopic.Keys);
        topics.Sort(StringComparer.Ordinal);
        foreach (string topic in topics)
        {
            for (int p = 0; p < _partitionsPerTopic[topic]; p++)
            {
                var tp = new TopicPartition(topic, p);
                if (assigned.Contains(tp))
                {
                    continue;
                }

                AssignorMember? best = null;
                foreach (AssignorMember m in _members)
                {
                    if (_subscriptions[m.MemberId].Contains(topic) && (best is null || _current[m.MemberId].Count < _current[best.MemberId].Count))
                    {
                        best = m;
                    }
                }

                if (best is not null)
                {
                    _current[best.MemberId].Add(tp);
                }
            }
        }
    }

    private void MoveUntilBalanced()
    {
        // Each move lowers the sum of squared counts, so this ends.
        while (TryMoveOne())
        {
        }
    }

    private bool TryMoveOne()
    {
        var byLoad = new List<AssignorMember>(_members);
        byLoad.Sort((a, b) =>
        {
            int c = _current[b.MemberId].Count.CompareTo(_current[a.MemberId].Count);
            return c != 0 ? c : AssignorMember.Compare(a, b);
        });

        for (int i = 0; i < byLoad.Count; i++)
        {
            List<TopicPartition> from = _current[byLoad[i].MemberId];
            for (int j = byLoad.Count - 1; j > i; j--)
            {
                string toId = byLoad[j].MemberId;
                List<TopicPartition> to = _current[toId];
                if (from.Count - to.Count < 2)
                {
                    break;
                }

                int pick = PickMovable(byLoad[i].MemberId, from, _subscriptions[toId]);
                if (pick >= 0)
                {
                    to.Add(from[pick]);
                    from.RemoveAt(pick);
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The index of a partition the receiver may take: one the giver did not own before, if any.</summary>
    private int PickMovable(string giverId, List<TopicPartition> from, HashSet<string> receiverTopics)
    {
        HashSet<TopicPartition> owned = _previouslyOwned[giverId];
        int fallback = -1;
        for (int k = from.Count - 1; k >= 0; k--)
        {
            if (!receiverTopics.Contains(from[k].Topic))
            {
                continue;
            }

            if (!owned.Contains(from[k]))
            {
                return k;
            }

            fallback = fallback < 0 ? k : fallback;
        }

        return fallback;
    }
}
