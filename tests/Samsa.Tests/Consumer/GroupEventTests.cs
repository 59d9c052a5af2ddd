using Microsoft.Extensions.Logging.Abstractions;
using Samsa.Groups;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class GroupEventTests
{
    private sealed class Harness : IAsyncDisposable
    {
        public FakeKafka Kafka { get; } = new();

        public FakeMembership? Membership { get; private set; }

        public List<string> Calls { get; } = [];

        public List<int> HandlerThreads { get; } = [];

        public List<KafkaException> Errors { get; } = [];

        public Func<IConsumer<string, string>, IReadOnlyList<TopicPartition>, IEnumerable<TopicPartitionOffset>?>? OnAssigned { get; set; }

        public Consumer<string, string> Build(bool autoCommit = true)
        {
            Kafka.CreateTopic("g", 2, _ => 1);
            Kafka.Change("g", 0, l => l.Append(6));
            Kafka.Change("g", 1, l => l.Append(6));
            ConsumerConfig config = (Config(Kafka, "group-a") with { EnableAutoCommit = autoCommit, AutoCommitInterval = TimeSpan.Zero }).Validate();
            var consumer = new Consumer<string, string>(config, null, null, NullLogger.Instance, ctx => Membership = new FakeMembership(ctx))
            {
                AssignedHandler = (c, parts) =>
                {
                    Calls.Add("assigned " + string.Join(",", parts));
                    HandlerThreads.Add(Environment.CurrentManagedThreadId);
                    return OnAssigned?.Invoke(c, parts);
                },
                RevokedHandler = (c, parts) =>
                {
                    Calls.Add("revoked " + string.Join(",", parts));
                    HandlerThreads.Add(Environment.CurrentManagedThreadId);
                },
                LostHandler = (c, parts) => Calls.Add("lost " + string.Join(",", parts)),
                ErrorHandler = (c, e) => Errors.Add(e),
            };
            return consumer;
        }

        public ValueTask DisposeAsync() => Kafka.DisposeAsync();
    }

    private static readonly TopicPartition G0 = new("g", 0);
    private static readonly TopicPartition G1 = new("g", 1);

    [Fact]
    public async Task AssignRevokeAndLoseRunHandlersOnThePollThreadAndAcknowledge()
    {
        await using var h = new Harness();
        using Consumer<string, string> consumer = h.Build();
        consumer.Subscribe("g");
        FakeMembership m = h.Membership!;
        Assert.Equal("group-a", m.Context.Config.GroupId);
        Assert.Equal(["g"], m.Subscriptions.Single());
        Assert.Equal(["g"], consumer.Subscription);
        Assert.Equal("member-1", consumer.MemberId);

        m.Stored[G0] = 2;
        var assigned = new GroupEvent(GroupEventKind.Assigned, [G0, G1]);
        m.Enqueue(assigned);
        List<ConsumeResult<string, string>> results = ConsumeMessages(consumer, 10);
        Assert.Equal(["assigned g [0],g [1]"], h.Calls);
        Assert.Contains(assigned, m.Acknowledged);
        Assert.Equal([2L, 3, 4, 5], Offsets(results.Where(r => r.Partition == 0)));
        Assert.Equal([0L, 1, 2, 3, 4, 5], Offsets(results.Where(r => r.Partition == 1)));
        Assert.Equal([G0, G1], consumer.Assignment);

        // Revoked: handler with the positions, then the auto-commit of those partitions, then they are dropped.
        var revoked = new GroupEvent(GroupEventKind.Revoked, [G0]);
        m.Enqueue(revoked);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(100)));
        Assert.Equal("revoked g [0] @6", h.Calls[1]);
        Assert.Contains(m.Commits, c => c.Any(o => o.TopicPartition == G0 && o.Offset.Value == 6));
        Assert.Contains(revoked, m.Acknowledged);
        Assert.Equal([G1], consumer.Assignment);

        // Lost: handler, no commit.
        int commits = m.Commits.Count;
        var lost = new GroupEvent(GroupEventKind.Lost, [G1]);
        m.Enqueue(lost);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(100)));
        Assert.Equal("lost g [1] @6", h.Calls[2]);
        Assert.Equal(commits, m.Commits.Count);
        Assert.Empty(consumer.Assignment);
        Assert.Contains(lost, m.Acknowledged);

        Assert.All(h.HandlerThreads, t => Assert.Equal(Environment.CurrentManagedThreadId, t));
        Assert.All(m.PollThreads, t => Assert.Equal(Environment.CurrentManagedThreadId, t));
    }

    [Fact]
    public async Task EveryPollTellsTheMembershipAndAnIdleConsumerWakesForEvents()
    {
        await using var h = new Harness();
        using Consumer<string, string> consumer = h.Build();
        consumer.Subscribe(["g"]);
        FakeMembership m = h.Membership!;
        int before = m.Polls;
        for (int i = 0; i < 5; i++)
        {
            Assert.Null(consumer.Consume(TimeSpan.Zero));
        }

        Assert.True(m.Polls >= before + 5, $"{m.Polls - before} polls seen for 5 consume calls");

        // A consumer waiting in Consume wakes up for an event queued meanwhile.
        _ = Task.Run(async () =>
        {
            await Task.Delay(200);
            m.Enqueue(new GroupEvent(GroupEventKind.Assigned, [G0]));
        });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ConsumeResult<string, string>? r = consumer.Consume(TimeSpan.FromSeconds(10));
        Assert.NotNull(r);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(["assigned g [0]"], h.Calls);
    }

    [Fact]
    public async Task AssignedHandlerChoosesStartOffsetsOrAssignsItself()
    {
        await using var h = new Harness();
        h.OnAssigned = (c, parts) => parts.Select(p => new TopicPartitionOffset(p, 4));
        using Consumer<string, string> consumer = h.Build();
        consumer.Subscribe("g");
        h.Membership!.Enqueue(new GroupEvent(GroupEventKind.Assigned, [G0]));
        Assert.Equal([4L, 5], Offsets(ConsumeMessages(consumer, 2)));

        // Assigning inside the handler replaces the automatic assignment.
        h.OnAssigned = (c, parts) =>
        {
            c.IncrementalAssign([new TopicPartitionOffset(G1, 5)]);
            return null;
        };
        h.Membership.Enqueue(new GroupEvent(GroupEventKind.Assigned, [G1]));
        ConsumeResult<string, string> r = Assert.Single(ConsumeMessages(consumer, 1));
        Assert.Equal(new TopicPartitionOffset(G1, 5), r.TopicPartitionOffset with { LeaderEpoch = -1 });
    }

    [Fact]
    public async Task FatalGroupErrorIsRaisedFromConsume()
    {
        await using var h = new Harness();
        using Consumer<string, string> consumer = h.Build();
        consumer.Subscribe("g");
        var fenced = new KafkaException(ErrorCode.FencedInstanceId, "another member took group.instance.id");
        h.Membership!.Enqueue(new GroupEvent(GroupEventKind.Error, [], fenced));
        KafkaException ex = Assert.Throws<KafkaException>(() => consumer.Consume(TimeSpan.FromSeconds(2)));
        Assert.Equal(ErrorCode.FencedInstanceId, ex.Error);
        Assert.Contains(fenced, h.Errors);
        Assert.Single(h.Membership.Acknowledged);
    }

    [Fact]
    public async Task RevokedHandlerOnCloseCanStillCommit()
    {
        await using var h = new Harness();
        Consumer<string, string> consumer = h.Build(autoCommit: false);
        consumer.RevokedHandler = (c, parts) => c.Commit([new TopicPartitionOffset(G0, 1)]);
        consumer.Subscribe("g");
        h.Membership!.Enqueue(new GroupEvent(GroupEventKind.Assigned, [G0]));
        Assert.Equal(2, ConsumeMessages(consumer, 2).Count);
        consumer.Close();
        Assert.Equal(1, h.Membership.Stored[G0]);
        Assert.Throws<ObjectDisposedException>(() => consumer.Commit());
    }

    [Fact]
    public async Task CloseRevokesCommitsAndLeaves()
    {
        await using var h = new Harness();
        Consumer<string, string> consumer = h.Build();
        consumer.Subscribe("g");
        FakeMembership m = h.Membership!;
        m.Enqueue(new GroupEvent(GroupEventKind.Assigned, [G0]));
        Assert.Equal(3, ConsumeMessages(consumer, 3).Count);
        await consumer.CloseAsync();
        Assert.Equal("revoked g [0] @3", h.Calls.Last());
        Assert.Equal(3, m.Stored[G0]);
        Assert.True(m.Left);
        Assert.True(m.Disposed);
        Assert.Throws<ObjectDisposedException>(() => consumer.Consume(TimeSpan.Zero));
        consumer.Dispose();
    }

    [Fact]
    public async Task UnsubscribeLeavesTheSubscriptionAndHandlesTheRevocation()
    {
        await using var h = new Harness();
        using Consumer<string, string> consumer = h.Build(autoCommit: false);
        consumer.Subscribe("^g.*");
        FakeMembership m = h.Membership!;
        m.Enqueue(new GroupEvent(GroupEventKind.Assigned, [G0]));
        Assert.Equal(2, ConsumeMessages(consumer, 2).Count);
        m.Enqueue(new GroupEvent(GroupEventKind.Revoked, [G0]));
        consumer.Unsubscribe();
        Assert.Equal(1, m.Unsubscribes);
        Assert.Empty(consumer.Subscription);
        Assert.Equal("revoked g [0] @2", h.Calls.Last());
        Assert.Empty(consumer.Assignment);
        Assert.Empty(m.Commits);
    }

    [Fact]
    public async Task SubscribingStartsAGroupMembershipAndReportsItsSubscription()
    {
        await using var kafka = new FakeKafka();
        using Consumer<string, string> consumer = Create(Config(kafka, "g"));
        consumer.Subscribe(["t", "^logs-.*"]);
        Assert.Equal(["t", "^logs-.*"], consumer.Subscription);
        consumer.Unsubscribe();
        Assert.Empty(consumer.Subscription);
    }
}
