using Samsa.Groups;

namespace Samsa.Tests.Groups;

/// <summary>
/// cooperative-sticky's properties over random groups: no partition twice, balance (the Java client's notion),
/// stickiness, and KIP-429's rule that only partitions that move are revoked, handed over one rebalance later.
/// </summary>
public sealed class CooperativeStickyAssignorTests
{
    private readonly CooperativeStickyAssignor _assignor = new();

    private sealed record Member(string Id, string[] Topics)
    {
        public List<TopicPartition> Owned { get; set; } = [];

        public int Generation { get; set; } = -1;

        public AssignorMember ToAssignor() => new(Id, null, Topics, Owned, Generation);
    }

    /// <summary>One rebalance: the assignor runs, every member takes its new assignment; returns what each member revoked.</summary>
    private Dictionary<string, List<TopicPartition>> Rebalance(Dictionary<string, int> topics, List<Member> members, int generation)
    {
        Dictionary<string, List<TopicPartition>> result = _assignor.Assign(topics, members.Select(m => m.ToAssignor()).ToList());
        AssertNoDuplicates(result);

        // KIP-429: a partition goes to a new owner only once no other member still holds it.
        foreach (Member m in members)
        {
            foreach (TopicPartition tp in result[m.Id].Where(tp => !m.Owned.Contains(tp)))
            {
                Assert.DoesNotContain(members, other => other != m && other.Owned.Contains(tp));
            }
        }

        var revoked = new Dictionary<string, List<TopicPartition>>();
        foreach (Member m in members)
        {
            List<TopicPartition> assigned = result[m.Id];
            Assert.All(assigned, tp => Assert.Contains(tp.Topic, m.Topics));
            revoked[m.Id] = m.Owned.Except(assigned).ToList();

            // KIP-429: what a member keeps stays; it is only ever added to or revoked from, never swapped in one step.
            m.Owned = assigned;
            m.Generation = generation;
        }

        return revoked;
    }

    /// <summary>Rebalances until nothing is revoked any more (the cooperative follow-up rounds); returns the rounds it took.</summary>
    private int Converge(Dictionary<string, int> topics, List<Member> members, ref int generation)
    {
        var everRevoked = new Dictionary<TopicPartition, string>();
        for (int round = 1; round <= 4; round++)
        {
            Dictionary<string, List<TopicPartition>> revoked = Rebalance(topics, members, ++generation);
            foreach (var (memberId, partitions) in revoked)
            {
                foreach (TopicPartition tp in partitions)
                {
                    everRevoked[tp] = memberId;
                }
            }

            if (revoked.Values.All(r => r.Count == 0))
            {
                // Only partitions that moved were revoked: each one now belongs to another member (or its topic is gone).
                foreach (var (tp, from) in everRevoked)
                {
                    Member? owner = members.FirstOrDefault(m => m.Owned.Contains(tp));
                    if (topics.TryGetValue(tp.Topic, out int count) && tp.Partition < count && members.Any(m => m.Topics.Contains(tp.Topic)))
                    {
                        Assert.NotNull(owner);
                        Assert.NotEqual(from, owner!.Id);
                    }
                }

                return round;
            }
        }

        Assert.Fail("The assignment did not converge within 4 rebalances.");
        return -1;
    }

    private static void AssertNoDuplicates(Dictionary<string, List<TopicPartition>> result)
    {
        List<TopicPartition> all = result.Values.SelectMany(x => x).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    /// <summary>Everything subscribed is assigned, and no member could take a partition from one with two more.</summary>
    private static void AssertCompleteAndBalanced(Dictionary<string, int> topics, List<Member> members)
    {
        foreach (var (topic, count) in topics)
        {
            if (!members.Any(m => m.Topics.Contains(topic)))
            {
                continue;
            }

            for (int p = 0; p < count; p++)
            {
                Assert.Single(members, m => m.Owned.Contains(new TopicPartition(topic, p)));
            }
        }

        foreach (Member a in members)
        {
            foreach (Member b in members)
            {
                if (a.Owned.Count - b.Owned.Count >= 2)
                {
                    Assert.DoesNotContain(a.Owned, tp => b.Topics.Contains(tp.Topic));
                }
            }
        }
    }

    [Fact]
    public void A_new_group_is_assigned_in_one_rebalance_and_balanced()
    {
        var topics = new Dictionary<string, int> { ["t1"] = 7, ["t2"] = 5 };
        var members = new List<Member> { new("m1", ["t1", "t2"]), new("m2", ["t1", "t2"]), new("m3", ["t1", "t2"]) };
        int generation = 0;
        Assert.Equal(1, Converge(topics, members, ref generation));
        AssertCompleteAndBalanced(topics, members);
        Assert.Equal([4, 4, 4], members.Select(m => m.Owned.Count));
    }

    [Fact]
    public void A_stable_group_keeps_every_partition_where_it_is()
    {
        var topics = new Dictionary<string, int> { ["t1"] = 10 };
        var members = new List<Member> { new("m1", ["t1"]), new("m2", ["t1"]), new("m3", ["t1"]) };
        int generation = 0;
        Converge(topics, members, ref generation);
        var before = members.ToDictionary(m => m.Id, m => m.Owned.ToHashSet());
        Dictionary<string, List<TopicPartition>> revoked = Rebalance(topics, members, ++generation);
        Assert.All(revoked.Values, Assert.Empty);
        Assert.All(members, m => Assert.True(before[m.Id].SetEquals(m.Owned)));
    }

    [Fact]
    public void A_joining_member_takes_partitions_in_two_steps_and_the_others_only_revoke_what_moves()
    {
        var topics = new Dictionary<string, int> { ["t1"] = 6 };
        var members = new List<Member> { new("m1", ["t1"]), new("m2", ["t1"]) };
        int generation = 0;
        Converge(topics, members, ref generation);
        var before = members.ToDictionary(m => m.Id, m => m.Owned.ToList());

        members.Add(new Member("m3", ["t1"]));
        Dictionary<string, List<TopicPartition>> revoked = Rebalance(topics, members, ++generation);
        Assert.Empty(members[2].Owned); // nothing yet: its partitions are still owned by others
        Assert.Equal(2, revoked["m1"].Count + revoked["m2"].Count);
        foreach (Member m in members.Take(2))
        {
            Assert.True(m.Owned.All(before[m.Id].Contains), "an old member only loses partitions");
            Assert.Equal(2, m.Owned.Count);
        }

        Rebalance(topics, members, ++generation);
        Assert.Equal(revoked["m1"].Concat(revoked["m2"]).Order(TopicPartitionOrder.Instance), members[2].Owned.Order(TopicPartitionOrder.Instance));
        AssertCompleteAndBalanced(topics, members);
    }

    [Fact]
    public void When_a_member_leaves_the_others_keep_theirs_and_take_its_partitions_at_once()
    {
        var topics = new Dictionary<string, int> { ["t1"] = 9, ["t2"] = 4 };
        var members = new List<Member> { new("m1", ["t1", "t2"]), new("m2", ["t1", "t2"]), new("m3", ["t1", "t2"]) };
        int generation = 0;
        Converge(topics, members, ref generation);
        var before = members.ToDictionary(m => m.Id, m => m.Owned.ToList());
        members.RemoveAt(1);
        Dictionary<string, List<TopicPartition>> revoked = Rebalance(topics, members, ++generation);
        Assert.All(revoked.Values, Assert.Empty);
        Assert.All(members, m => Assert.True(before[m.Id].All(m.Owned.Contains)));
        AssertCompleteAndBalanced(topics, members);
    }

    [Fact]
    public void Claims_of_the_same_partition_in_the_same_generation_void_each_other_and_an_older_claim_loses()
    {
        var topics = new Dictionary<string, int> { ["t1"] = 4 };
        AssignorMember[] members =
        [
            new("m1", null, ["t1"], [new("t1", 0), new("t1", 1)], 5),
            new("m2", null, ["t1"], [new("t1", 1), new("t1", 2)], 5),
            new("m3", null, ["t1"], [new("t1", 2), new("t1", 3)], 4),
        ];
        Dictionary<string, List<TopicPartition>> result = _assignor.Assign(topics, members);
        Assert.Contains(new TopicPartition("t1", 0), result["m1"]);
        Assert.Contains(new TopicPartition("t1", 2), result["m2"]); // m3's claim is older
        Assert.DoesNotContain(result.Values.SelectMany(x => x), tp => tp == new TopicPartition("t1", 1)); // voided: handed over next round
    }

    [Fact]
    public void Random_groups_converge_balanced_sticky_and_only_revoke_what_moves()
    {
        var random = new Random(12345);
        for (int scenario = 0; scenario < 150; scenario++)
        {
            var topics = Enumerable.Range(0, random.Next(1, 5)).ToDictionary(i => $"t{i}", _ => random.Next(1, 13));
            string[] topicNames = [.. topics.Keys];
            string[] RandomSubscription() => random.Next(3) == 0
                ? topicNames.Where(_ => random.Next(2) == 0).DefaultIfEmpty(topicNames[0]).ToArray()
                : topicNames;
            var members = Enumerable.Range(0, random.Next(1, 7)).Select(i => new Member($"member-{random.Next(100000):D6}-{i}", RandomSubscription())).ToList();
            int generation = 0;
            Converge(topics, members, ref generation);
            AssertCompleteAndBalanced(topics, members);

            for (int change = 0; change < 4; change++)
            {
                var before = members.ToDictionary(m => m.Id, m => m.Owned.ToHashSet());
                int kind = random.Next(4);
                switch (kind)
                {
                    case 0:
                        members.Add(new Member($"joiner-{scenario}-{change}", RandomSubscription()));
                        break;
                    case 1 when members.Count > 1:
                        members.RemoveAt(random.Next(members.Count));
                        break;
                    case 2:
                        string t = topicNames[random.Next(topicNames.Length)];
                        topics[t] += random.Next(1, 4); // partitions added
                        break;
                    default:
                        Member m = members[random.Next(members.Count)];
                        members[members.IndexOf(m)] = new Member(m.Id, RandomSubscription()) { Owned = m.Owned, Generation = m.Generation };
                        break;
                }

                Converge(topics, members, ref generation);
                AssertCompleteAndBalanced(topics, members);

                // Stickiness: when every member subscribes to the same topics and no subscription changed, no member
                // swaps partitions: each one only gains or only loses. (Different subscriptions can need swaps.)
                bool homogeneous = members.All(m => m.Topics.Order().SequenceEqual(members[0].Topics.Order()));
                foreach (Member m in homogeneous && kind != 3 ? members : [])
                {
                    if (before.TryGetValue(m.Id, out HashSet<TopicPartition>? old) && old.All(tp => m.Topics.Contains(tp.Topic) && tp.Partition < topics[tp.Topic]))
                    {
                        int lost = old.Count(tp => !m.Owned.Contains(tp));
                        int gained = m.Owned.Count(tp => !old.Contains(tp));
                        Assert.True(lost == 0 || gained == 0, $"scenario {scenario}, change {change}: {m.Id} lost {lost} and gained {gained}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Subscription_user_data_is_librdkafkas_sticky_format_and_its_generation_reads_back()
    {
        byte[] data = _assignor.SubscriptionUserData([new("t", 0), new("t", 3), new("u", 1)], 9)!;
        Assert.Equal(
            Convert.FromHexString("00000002" + "0001" + "74" + "00000002" + "00000000" + "00000003" + "0001" + "75" + "00000001" + "00000001" + "00000009"),
            data);
        Assert.Equal(9, CooperativeStickyAssignor.GenerationFromUserData(data));
        Assert.Equal(12, CooperativeStickyAssignor.GenerationFromUserData([0, 0, 0, 12])); // Java's cooperative-sticky: just the generation
        Assert.Equal(-1, CooperativeStickyAssignor.GenerationFromUserData(null));
        Assert.Null(_assignor.SubscriptionUserData([], -1));
    }
}
