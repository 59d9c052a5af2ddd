using Samsa.Groups;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using CK = Confluent.Kafka;

namespace Samsa.IntegrationTests.Groups;

/// <summary>Classic groups that mix Samsa members with librdkafka (Confluent.Kafka) consumers.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MixedGroupTests(ClusterFixture fixture)
{
    /// <summary>A Confluent.Kafka consumer polled on its own thread, its assignment tracked by its rebalance handlers.</summary>
    private sealed class LibrdkafkaMember : IDisposable
    {
        private readonly CK.IConsumer<byte[], byte[]> _consumer;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private readonly Lock _lock = new();
        private HashSet<TopicPartition> _assignment = [];

        public LibrdkafkaMember(string bootstrap, string group, string topic)
        {
            var config = new CK.ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = group,
                SessionTimeoutMs = 3000,
                HeartbeatIntervalMs = 200,
                EnableAutoCommit = false,
            };
            config.Set("partition.assignment.strategy", "range,roundrobin");
            _consumer = new CK.ConsumerBuilder<byte[], byte[]>(config)
                .SetPartitionsAssignedHandler((_, list) => Set(list.Select(tp => new TopicPartition(tp.Topic, tp.Partition.Value))))
                .SetPartitionsRevokedHandler((_, _) => Set([]))
                .Build();
            _consumer.Subscribe(topic);
            _thread = new Thread(Poll) { IsBackground = true };
            _thread.Start();
        }

        public string MemberId => _consumer.MemberId;

        public HashSet<TopicPartition> Assignment
        {
            get
            {
                lock (_lock)
                {
                    return [.. _assignment];
                }
            }
        }

        private void Set(IEnumerable<TopicPartition> partitions)
        {
            lock (_lock)
            {
                _assignment = [.. partitions];
            }
        }

        private void Poll()
        {
            while (!_stop.IsCancellationRequested)
            {
                _consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join();
            _consumer.Close();
            _consumer.Dispose();
            _stop.Dispose();
        }
    }

    private async Task<(string Topic, string Group)> PrepareAsync(int partitions, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        Librdkafka.LoadForConfluentKafka();
        string topic = UniqueNames.Topic(test);
        await fixture.CreateTopicAsync(topic, partitions);
        if (fixture.SupportsFaultInjection)
        {
            await fixture.Cluster.SetRebalanceDelayAsync(0);
        }

        return (topic, UniqueNames.Group(test));
    }

    private static async Task ConvergedAsync(string topic, int partitions, TimeSpan timeout, GroupTestMember samsa, params LibrdkafkaMember[] others)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        var expected = GroupAssert.Partitions(topic, partitions).ToHashSet();
        string state = "";
        while (DateTime.UtcNow < deadline)
        {
            List<HashSet<TopicPartition>> sets = [samsa.Assignment, .. others.Select(o => o.Assignment)];
            state = string.Join("; ", sets.Select(s => string.Join(",", s.Select(tp => tp.Partition).Order())));
            if (sets.Sum(s => s.Count) == partitions && sets.SelectMany(s => s).ToHashSet().SetEquals(expected) && sets.All(s => s.Count > 0))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"The mixed group did not converge within {timeout}: {state}");
    }

    /// <summary>The assignment Samsa's range assignor computes for these members: librdkafka's must be the same.</summary>
    private static Dictionary<string, List<TopicPartition>> Expected(string topic, int partitions, params string[] memberIds) =>
        RangeAssignor.Instance.Assign(new Dictionary<string, int> { [topic] = partitions }, memberIds.Select(id => new AssignorMember(id, null, [topic], [])).ToList());

    [SkippableFact]
    public async Task A_librdkafka_leader_assigns_samsa_members_exactly_as_samsa_would()
    {
        var (topic, group) = await PrepareAsync(7);
        using var leader = new LibrdkafkaMember(fixture.BootstrapServers, group, topic);
        await WaitAsync(() => leader.Assignment.Count == 7, "the first librdkafka member to take every partition");
        using var follower = new LibrdkafkaMember(fixture.BootstrapServers, group, topic);
        await using var samsa = new GroupTestMember("samsa", GroupTestMember.Config(fixture.BootstrapServers, group));
        samsa.Subscribe(topic);

        await ConvergedAsync(topic, 7, TimeSpan.FromSeconds(20), samsa, leader, follower);
        Dictionary<string, List<TopicPartition>> expected = Expected(topic, 7, leader.MemberId, follower.MemberId, samsa.Membership.MemberId);
        Assert.Equal(expected[samsa.Membership.MemberId].ToHashSet(), samsa.Assignment);
        Assert.Equal(expected[leader.MemberId].ToHashSet(), leader.Assignment);
        Assert.Equal(expected[follower.MemberId].ToHashSet(), follower.Assignment);
    }

    [SkippableFact]
    public async Task A_samsa_leader_assigns_librdkafka_members_who_read_it()
    {
        var (topic, group) = await PrepareAsync(5);
        await using var samsa = new GroupTestMember("samsa", GroupTestMember.Config(fixture.BootstrapServers, group));
        samsa.Subscribe(topic);
        await GroupAssert.ConvergedAsync([samsa], GroupAssert.Partitions(topic, 5), TimeSpan.FromSeconds(10));
        using var first = new LibrdkafkaMember(fixture.BootstrapServers, group, topic);
        using var second = new LibrdkafkaMember(fixture.BootstrapServers, group, topic);

        await ConvergedAsync(topic, 5, TimeSpan.FromSeconds(20), samsa, first, second);
        Assert.True(((ClassicMembership)samsa.Membership).IsLeader);
        Dictionary<string, List<TopicPartition>> expected = Expected(topic, 5, samsa.Membership.MemberId, first.MemberId, second.MemberId);
        Assert.Equal(expected[first.MemberId].ToHashSet(), first.Assignment);
        Assert.Equal(expected[second.MemberId].ToHashSet(), second.Assignment);
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
