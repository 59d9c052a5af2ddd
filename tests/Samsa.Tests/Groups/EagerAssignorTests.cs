using Samsa.Groups;

namespace Samsa.Tests.Groups;

/// <summary>range and roundrobin against the assignments the Java client and librdkafka compute for the same input.</summary>
public sealed class EagerAssignorTests
{
    private static AssignorMember M(string id, params string[] topics) => new(id, null, topics, []);

    private static Dictionary<string, int> Topics(params (string Name, int Partitions)[] topics) =>
        topics.ToDictionary(t => t.Name, t => t.Partitions);

    private static string Show(IEnumerable<TopicPartition> partitions) => string.Join(" ", partitions.Select(p => $"{p.Topic}-{p.Partition}"));

    private static void AssertAssignment(Dictionary<string, List<TopicPartition>> actual, params (string Member, string Partitions)[] expected)
    {
        Assert.Equal(expected.Length, actual.Count);
        foreach (var (member, partitions) in expected)
        {
            Assert.Equal(partitions, Show(actual[member]));
        }
    }

    [Fact]
    public void Range_one_consumer_without_topics_or_with_a_missing_topic_gets_nothing()
    {
        AssertAssignment(RangeAssignor.Instance.Assign(Topics(), [M("c1")]), ("c1", ""));
        AssertAssignment(RangeAssignor.Instance.Assign(Topics(("t1", 3)), [M("c1", "missing")]), ("c1", ""));
    }

    [Fact]
    public void Range_one_consumer_one_topic_takes_it_all()
    {
        AssertAssignment(RangeAssignor.Instance.Assign(Topics(("t1", 3)), [M("c1", "t1")]), ("c1", "t1-0 t1-1 t1-2"));
    }

    [Fact]
    public void Range_two_consumers_one_topic_first_member_takes_the_extra_partition()
    {
        AssertAssignment(RangeAssignor.Instance.Assign(Topics(("t1", 3)), [M("c2", "t1"), M("c1", "t1")]),
            ("c1", "t1-0 t1-1"), ("c2", "t1-2"));
    }

    [Fact]
    public void Range_two_consumers_two_topics_six_partitions()
    {
        AssertAssignment(RangeAssignor.Instance.Assign(Topics(("t1", 3), ("t2", 3)), [M("c1", "t1", "t2"), M("c2", "t1", "t2")]),
            ("c1", "t1-0 t1-1 t2-0 t2-1"), ("c2", "t1-2 t2-2"));
    }

    [Fact]
    public void Range_multiple_consumers_mixed_topics()
    {
        AssertAssignment(
            RangeAssignor.Instance.Assign(Topics(("t1", 3), ("t2", 2)), [M("c1", "t1"), M("c2", "t1", "t2"), M("c3", "t1")]),
            ("c1", "t1-0"), ("c2", "t1-1 t2-0 t2-1"), ("c3", "t1-2"));
    }

    [Fact]
    public void Range_more_consumers_than_partitions_leaves_the_last_ones_empty()
    {
        AssertAssignment(RangeAssignor.Instance.Assign(Topics(("t1", 2)), [M("c3", "t1"), M("c1", "t1"), M("c2", "t1")]),
            ("c1", "t1-0"), ("c2", "t1-1"), ("c3", ""));
    }

    [Fact]
    public void Range_sorts_members_by_id_ordinally_and_static_members_by_instance_id_first()
    {
        // Ordinal: upper case before lower case, "c10" before "c2".
        AssertAssignment(RangeAssignor.Instance.Assign(Topics(("t1", 3)), [M("c2", "t1"), M("c10", "t1"), M("B", "t1")]),
            ("B", "t1-0"), ("c10", "t1-1"), ("c2", "t1-2"));

        AssignorMember[] members =
        [
            new("a-dynamic", null, ["t1"], []),
            new("z-static", "instance-1", ["t1"], []),
            new("m-static", "instance-2", ["t1"], []),
        ];
        AssertAssignment(RangeAssignor.Instance.Assign(Topics(("t1", 3)), members),
            ("z-static", "t1-0"), ("m-static", "t1-1"), ("a-dynamic", "t1-2"));
    }

    [Fact]
    public void RoundRobin_two_consumers_two_topics_six_partitions()
    {
        AssertAssignment(RoundRobinAssignor.Instance.Assign(Topics(("t1", 3), ("t2", 3)), [M("c2", "t1", "t2"), M("c1", "t1", "t2")]),
            ("c1", "t1-0 t1-2 t2-1"), ("c2", "t1-1 t2-0 t2-2"));
    }

    [Fact]
    public void RoundRobin_multiple_consumers_mixed_topics_skips_members_not_subscribed()
    {
        AssertAssignment(
            RoundRobinAssignor.Instance.Assign(Topics(("t1", 3), ("t2", 2)), [M("c1", "t1"), M("c2", "t1", "t2"), M("c3", "t1")]),
            ("c1", "t1-0"), ("c2", "t1-1 t2-0 t2-1"), ("c3", "t1-2"));
    }

    [Fact]
    public void RoundRobin_continues_the_deal_across_topics()
    {
        AssertAssignment(
            RoundRobinAssignor.Instance.Assign(Topics(("a", 2), ("b", 3), ("c", 1)), [M("m1", "a", "b", "c"), M("m2", "a", "b", "c"), M("m3", "a", "b", "c")]),
            ("m1", "a-0 b-1"), ("m2", "a-1 b-2"), ("m3", "b-0 c-0"));
    }

    [Fact]
    public void RoundRobin_one_consumer_with_a_missing_topic_and_an_existing_one()
    {
        AssertAssignment(RoundRobinAssignor.Instance.Assign(Topics(("t1", 3)), [M("c1", "t1", "missing")]), ("c1", "t1-0 t1-1 t1-2"));
    }

    [Fact]
    public void Both_give_every_member_an_entry_and_never_share_a_partition()
    {
        var random = new Random(7);
        for (int round = 0; round < 200; round++)
        {
            var topics = Enumerable.Range(0, random.Next(1, 5)).ToDictionary(i => $"t{i}", _ => random.Next(1, 9));
            AssignorMember[] members = Enumerable.Range(0, random.Next(1, 6))
                .Select(i => M($"m{random.Next(1000)}-{i}", topics.Keys.Where(_ => random.Next(3) > 0).Append("absent").ToArray()))
                .ToArray();
            foreach (IPartitionAssignor assignor in new IPartitionAssignor[] { RangeAssignor.Instance, RoundRobinAssignor.Instance })
            {
                Dictionary<string, List<TopicPartition>> result = assignor.Assign(topics, members);
                Assert.Equal(members.Length, result.Count);
                List<TopicPartition> all = result.Values.SelectMany(x => x).ToList();
                Assert.Equal(all.Count, all.Distinct().Count());
                var subscribedTopics = members.SelectMany(m => m.Topics).Where(topics.ContainsKey).ToHashSet();
                Assert.Equal(subscribedTopics.Sum(t => topics[t]), all.Count); // no gap
                foreach (AssignorMember m in members)
                {
                    Assert.All(result[m.MemberId], tp => Assert.Contains(tp.Topic, m.Topics));
                }
            }
        }
    }
}
