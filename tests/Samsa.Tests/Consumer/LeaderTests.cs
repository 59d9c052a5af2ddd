using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class LeaderTests
{
    [Fact]
    public async Task LeaderChangeMovesFetchingToTheNewLeaderWithoutLossOrDuplicates()
    {
        await using var kafka = new FakeKafka(brokers: 2);
        kafka.CreateTopic("l", 1, _ => 1);
        kafka.Change("l", 0, l => l.Append(5));
        using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign(new TopicPartitionOffset("l", 0, 0));
        Assert.Equal([0L, 1, 2, 3, 4], Offsets(ConsumeMessages(consumer, 5)));

        kafka.Change("l", 0, l =>
        {
            l.Leader = 2;
            l.LeaderEpoch = 1;
            l.Append(5);
        });
        Assert.Equal([5L, 6, 7, 8, 9], Offsets(ConsumeMessages(consumer, 5)));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));

        // Broker 2 was asked with the new leader epoch (KIP-320 fencing).
        Assert.Contains(kafka.FetchesTo(2), f => f.Request.Topics.Any(t => t.Partitions.Any(p => p.CurrentLeaderEpoch == 1 && p.FetchOffset == 5)));
        Assert.All(kafka.FetchesTo(1), f => Assert.All(f.Request.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.CurrentLeaderEpoch)));
    }

    [Fact]
    public async Task FencedLeaderEpochRefreshesMetadataAndRetries()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("l", 1);
        kafka.Change("l", 0, l => l.Append(3));
        using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign(new TopicPartitionOffset("l", 0, 0));
        Assert.Equal(3, ConsumeMessages(consumer, 3).Count);

        // The leader moves on to epoch 4: our epoch 0 is fenced until metadata tells us the new one.
        kafka.Change("l", 0, l =>
        {
            l.LeaderEpoch = 4;
            l.Append(3);
        });
        Assert.Equal([3L, 4, 5], Offsets(ConsumeMessages(consumer, 3)));
        Assert.Contains(kafka.Fetches, f => f.Request.Topics.Any(t => t.Partitions.Any(p => p.CurrentLeaderEpoch == 4)));
        ConsumeResult<string, string>? none = consumer.Consume(TimeSpan.FromMilliseconds(100));
        Assert.Null(none);
    }

    [Fact]
    public async Task PreferredReadReplicaNamedByTheLeaderIsFetchedFrom()
    {
        await using var kafka = new FakeKafka(brokers: 2);
        kafka.CreateTopic("rr", 1, _ => 1);
        kafka.PreferredReplica = (topic, partition, rack) => rack == "rack-b" ? 2 : null;
        kafka.Change("rr", 0, l => l.Append(6));
        using Consumer<string, string> consumer = Create(Config(kafka) with { ClientRack = "rack-b" });
        consumer.Assign(new TopicPartitionOffset("rr", 0, 0));
        Assert.Equal([0L, 1, 2, 3, 4, 5], Offsets(ConsumeMessages(consumer, 6)));

        // The leader was asked once with our rack and redirected us; the data came from broker 2.
        (int _, Samsa.Protocol.Messages.FetchRequest first) = kafka.FetchesTo(1)[0];
        Assert.Equal("rack-b", first.RackId);
        Assert.NotEmpty(kafka.FetchesTo(2));
        kafka.Change("rr", 0, l => l.Append(2));
        Assert.Equal([6L, 7], Offsets(ConsumeMessages(consumer, 2)));
        int toLeader = kafka.FetchesTo(1).Count;
        await Task.Delay(300);
        Assert.Equal(toLeader, kafka.FetchesTo(1).Count);
    }

    [Fact]
    public async Task OffsetOutOfRangeFromTheReplicaGoesBackToTheLeader()
    {
        await using var kafka = new FakeKafka(brokers: 2);
        kafka.CreateTopic("rr", 1, _ => 1);
        bool replicaLags = false;
        kafka.PreferredReplica = (topic, partition, rack) => 2;
        kafka.Intercept = (node, request) =>
        {
            if (node == 2 && replicaLags && request.ApiKey == Samsa.Protocol.ApiKey.Fetch)
            {
                var response = new Samsa.Protocol.Messages.FetchResponse();
                var fetch = (Samsa.Protocol.Messages.FetchRequest)request.Message;
                foreach (var t in fetch.Topics)
                {
                    var topic = new Samsa.Protocol.Messages.FetchResponse.FetchableTopicResponse { Topic = t.Topic };
                    foreach (var p in t.Partitions)
                    {
                        topic.Partitions.Add(new Samsa.Protocol.Messages.FetchResponse.PartitionData
                        {
                            PartitionIndex = p.Partition, ErrorCode = (short)ErrorCode.OffsetOutOfRange,
                        });
                    }

                    response.Responses.Add(topic);
                }

                return new Samsa.TestSupport.FakeReply.Message(response);
            }

            return null;
        };
        kafka.Change("rr", 0, l => l.Append(2));
        using Consumer<string, string> consumer = Create(Config(kafka) with { ClientRack = "any", AutoOffsetReset = AutoOffsetReset.Latest });
        consumer.Assign(new TopicPartitionOffset("rr", 0, 0));
        Assert.Equal([0L, 1], Offsets(ConsumeMessages(consumer, 2)));

        // The replica now says "out of range" (it lags): the consumer asks the leader instead of resetting.
        replicaLags = true;
        kafka.Change("rr", 0, l => l.Append(2));
        kafka.PreferredReplica = null;
        Assert.Equal([2L, 3], Offsets(ConsumeMessages(consumer, 2)));
    }
}
