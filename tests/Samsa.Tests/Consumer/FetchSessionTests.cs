using Samsa.Protocol.Messages;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class FetchSessionTests
{
    private static int PartitionsListed(FetchRequest r) => r.Topics.Sum(t => t.Partitions.Count);

    [Fact]
    public async Task FullFetchThenIncrementalFetchesWithForgottenPartitionsAndResets()
    {
        await using var kafka = new FakeKafka { Sessions = true };
        kafka.CreateTopic("s", 2, _ => 1);
        kafka.Change("s", 0, l => l.Append(5));
        kafka.Change("s", 1, l => l.Append(5));
        using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign([new TopicPartitionOffset("s", 0, 0), new TopicPartitionOffset("s", 1, 0)]);
        Assert.Equal(10, ConsumeMessages(consumer, 10).Count);
        await WaitUntilAsync(() => kafka.Fetches.Count >= 4, "a few fetches");

        FetchRequest[] fetches = [.. kafka.Fetches.Select(f => f.Request)];
        // The first request creates the session: id 0, epoch 0, every partition.
        Assert.Equal(0, fetches[0].SessionId);
        Assert.Equal(0, fetches[0].SessionEpoch);
        Assert.Equal(2, PartitionsListed(fetches[0]));

        // Then incremental requests with the broker's session id and increasing epochs; once the offsets stop
        // moving, they list no partition at all.
        Assert.Equal(100, fetches[1].SessionId);
        Assert.Equal(1, fetches[1].SessionEpoch);
        Assert.Equal(2, PartitionsListed(fetches[1]));
        Assert.Equal(2, fetches[2].SessionEpoch);
        Assert.Contains(fetches.Skip(2), f => f.SessionId == 100 && PartitionsListed(f) == 0);

        // Pausing a partition forgets it in the session.
        consumer.Pause([new TopicPartition("s", 1)]);
        await WaitUntilAsync(() => kafka.Fetches.Any(f => f.Request.ForgottenTopicsData.Any(t => t.Topic == "s" && t.Partitions.SequenceEqual([1]))),
            "a fetch forgetting s [1]");
        kafka.Change("s", 0, l => l.Append(3));
        kafka.Change("s", 1, l => l.Append(3));
        Assert.Equal([5L, 6, 7], Offsets(ConsumeMessages(consumer, 3)));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));

        // Resuming adds it back; the broker's view is updated by an incremental request.
        consumer.Resume([new TopicPartition("s", 1)]);
        List<ConsumeResult<string, string>> resumed = ConsumeMessages(consumer, 3);
        Assert.Equal([5L, 6, 7], Offsets(resumed));
        Assert.All(resumed, r => Assert.Equal(1, r.Partition));

        // The broker evicts the session: FETCH_SESSION_ID_NOT_FOUND, then a full fetch creates a new one.
        int before = kafka.Fetches.Count;
        kafka.EvictSessions();
        await WaitUntilAsync(() => kafka.Fetches.Skip(before).Any(f => f.Request.SessionId == 0 && f.Request.SessionEpoch == 0 && PartitionsListed(f.Request) == 2),
            "a full fetch after the session was evicted");
        kafka.Change("s", 0, l => l.Append(2));
        Assert.Equal([8L, 9], Offsets(ConsumeMessages(consumer, 2)));

        // A wrong epoch: INVALID_FETCH_SESSION_EPOCH, then a full fetch again; nothing is lost or repeated.
        before = kafka.Fetches.Count;
        kafka.SkewSessionEpochs();
        await WaitUntilAsync(() => kafka.Fetches.Skip(before).Any(f => f.Request.SessionId == 0 && f.Request.SessionEpoch == 0),
            "a full fetch after an epoch mismatch");
        kafka.Change("s", 1, l => l.Append(2));
        List<ConsumeResult<string, string>> last = ConsumeMessages(consumer, 2);
        Assert.Equal([8L, 9], Offsets(last));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task BrokerWithoutSessionsGetsSessionlessFullFetches()
    {
        await using var kafka = new FakeKafka { Sessions = false };
        kafka.CreateTopic("s", 2, _ => 1);
        kafka.Change("s", 0, l => l.Append(3));
        using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign([new TopicPartitionOffset("s", 0, 0), new TopicPartitionOffset("s", 1, 0)]);
        Assert.Equal(3, ConsumeMessages(consumer, 3).Count);
        await WaitUntilAsync(() => kafka.Fetches.Count >= 3, "a few fetches");
        FetchRequest[] fetches = [.. kafka.Fetches.Select(f => f.Request)];
        Assert.Equal(0, fetches[0].SessionEpoch);
        Assert.All(fetches, f => Assert.Equal(0, f.SessionId));
        Assert.All(fetches, f => Assert.Equal(2, PartitionsListed(f)));
        Assert.All(fetches.Skip(1), f => Assert.Equal(-1, f.SessionEpoch));
    }
}
