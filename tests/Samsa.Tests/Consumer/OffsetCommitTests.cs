using Samsa.Protocol.Messages;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class OffsetCommitTests
{
    [Fact]
    public async Task A_position_only_resolved_from_the_reset_policy_is_not_committed()
    {
        // librdkafka's rule: offsets are stored as records are consumed. Once the start offset is resolved the
        // position is 0, but nothing was consumed, so there is nothing to commit (before, this depended on timing).
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("r", 1, _ => 1);
        kafka.Change("r", 0, l => l.Append(3));
        var tp = new TopicPartition("r", 0);
        using Consumer<string, string> consumer = Create(Config(kafka, "g-reset"));
        consumer.Assign([new TopicPartitionOffset(tp, Offset.Beginning)]);
        await WaitUntilAsync(() => consumer.Position(tp) != Offset.Unset, "the start offset to be resolved from the reset policy");
        Assert.Equal(0, consumer.Position(tp).Value);
        Assert.Equal(ErrorCode.LocalNoOffset, Assert.Throws<KafkaException>(() => consumer.Commit()).Error);

        Assert.Equal([0L], Offsets(ConsumeMessages(consumer, 1)));
        TopicPartitionOffset committed = Assert.Single(consumer.Commit());
        Assert.Equal(1, committed.Offset.Value);
    }

    [Fact]
    public async Task AssignOnlyConsumerCommitsAsSimpleConsumerAndResumesFromTheCommit()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("o", 2, _ => 1);
        kafka.Change("o", 0, l => l.Append(6));
        var tp = new TopicPartition("o", 0);
        using (Consumer<string, string> consumer = Create(Config(kafka, "g1")))
        {
            consumer.Assign([new TopicPartitionOffset(tp, Offset.Beginning), new TopicPartitionOffset("o", 1, Offset.Beginning)]);
            Assert.Equal([0L, 1, 2], Offsets(ConsumeMessages(consumer, 3)));
            List<TopicPartitionOffset> committed = consumer.Commit();
            TopicPartitionOffset c = Assert.Single(committed, o => o.Partition == 0);
            Assert.Equal(3, c.Offset.Value);
            Assert.Equal((3L, 0), kafka.CommittedOffset("g1", "o", 0));

            OffsetCommitRequest request = kafka.Commits.Last();
            Assert.Equal(-1, request.GenerationIdOrMemberEpoch);
            Assert.Equal(string.Empty, request.MemberId);
            Assert.Equal("g1", request.GroupId);

            List<TopicPartitionOffset> read = consumer.Committed([tp, new TopicPartition("o", 1)], TimeSpan.FromSeconds(5));
            Assert.Equal(3, read.Single(o => o.Partition == 0).Offset.Value);
            Assert.Equal(Offset.Unset, read.Single(o => o.Partition == 1).Offset); // nothing consumed there: not committed

            ConsumeResult<string, string> next = Assert.Single(ConsumeMessages(consumer, 1));
            consumer.Commit(next);
            Assert.Equal((4L, 0), kafka.CommittedOffset("g1", "o", 0));
        }

        // A new consumer of the group starts at the committed offset.
        using Consumer<string, string> again = Create(Config(kafka, "g1"));
        again.Assign(tp);
        Assert.Equal([4L, 5], Offsets(ConsumeMessages(again, 2)));
    }

    [Fact]
    public async Task CommitsAndLookupsRetryWhenTheCoordinatorMovesOrIsLoading()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("o", 1);
        kafka.Change("o", 0, l => l.Append(4));
        int commitErrors = 2;
        int fetchErrors = 1;
        kafka.Intercept = (node, request) =>
        {
            if (request.ApiKey == Samsa.Protocol.ApiKey.OffsetCommit && Interlocked.Decrement(ref commitErrors) >= 0)
            {
                var commit = (OffsetCommitRequest)request.Message;
                var response = new OffsetCommitResponse();
                foreach (OffsetCommitRequest.OffsetCommitRequestTopic t in commit.Topics)
                {
                    var topic = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = t.Name };
                    topic.Partitions.AddRange(t.Partitions.Select(p => new OffsetCommitResponse.OffsetCommitResponsePartition
                    {
                        PartitionIndex = p.PartitionIndex,
                        ErrorCode = (short)(commitErrors == 1 ? ErrorCode.NotCoordinator : ErrorCode.CoordinatorLoadInProgress),
                    }));
                    response.Topics.Add(topic);
                }

                return new Samsa.TestSupport.FakeReply.Message(response);
            }

            if (request.ApiKey == Samsa.Protocol.ApiKey.OffsetFetch && Interlocked.Decrement(ref fetchErrors) >= 0)
            {
                var response = new OffsetFetchResponse { ErrorCode = (short)ErrorCode.CoordinatorLoadInProgress };
                response.Groups.Add(new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = "g4", ErrorCode = (short)ErrorCode.CoordinatorLoadInProgress });
                return new Samsa.TestSupport.FakeReply.Message(response);
            }

            return null;
        };
        using Consumer<string, string> consumer = Create(Config(kafka, "g4"));
        consumer.Assign(new TopicPartition("o", 0));
        Assert.Equal([0L, 1], Offsets(ConsumeMessages(consumer, 2)));
        Assert.Equal(2, Assert.Single(consumer.Commit()).Offset.Value);
        Assert.Equal(-1, commitErrors); // refused twice, then accepted
        Assert.Single(kafka.Commits);
        Assert.Equal(-1, fetchErrors);
        Assert.Equal((2L, 0), kafka.CommittedOffset("g4", "o", 0));

        // A refused commit names the partition and the broker's error.
        kafka.Intercept = (node, request) => request.ApiKey == Samsa.Protocol.ApiKey.OffsetCommit
            ? new Samsa.TestSupport.FakeReply.Message(new OffsetCommitResponse
            {
                Topics = { new OffsetCommitResponse.OffsetCommitResponseTopic { Name = "o", Partitions = { new OffsetCommitResponse.OffsetCommitResponsePartition { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed } } } },
            })
            : null;
        KafkaException refused = Assert.Throws<KafkaException>(() => consumer.Commit());
        Assert.Equal(ErrorCode.GroupAuthorizationFailed, refused.Error);
        Assert.Contains("o [0]", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredOffsetsAreWhatIsCommittedWithoutAutoStore()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("o", 1);
        kafka.Change("o", 0, l => l.Append(5));
        using Consumer<string, string> consumer = Create(Config(kafka, "g2") with { EnableAutoOffsetStore = false });
        consumer.Assign(new TopicPartitionOffset("o", 0, 0));
        List<ConsumeResult<string, string>> results = ConsumeMessages(consumer, 4);
        Assert.Equal(ErrorCode.LocalNoOffset, Assert.Throws<KafkaException>(() => consumer.Commit()).Error);
        consumer.StoreOffset(results[1]);
        Assert.Equal(2, Assert.Single(consumer.Commit()).Offset.Value);
        Assert.Equal((2L, 0), kafka.CommittedOffset("g2", "o", 0));
    }

    [Fact]
    public async Task AutoCommitCommitsPeriodicallyAndOnClose()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("o", 1);
        kafka.Change("o", 0, l => l.Append(8));
        Consumer<string, string> consumer = Create(Config(kafka, "g3") with
        {
            EnableAutoCommit = true,
            AutoCommitInterval = TimeSpan.FromMilliseconds(100),
        });
        consumer.Assign(new TopicPartitionOffset("o", 0, 0));
        Assert.Equal(3, ConsumeMessages(consumer, 3).Count);
        await WaitUntilAsync(() => kafka.CommittedOffset("g3", "o", 0)?.Offset == 3, "the periodic commit");
        Assert.Equal(2, ConsumeMessages(consumer, 2).Count);
        consumer.Close();
        Assert.Equal(5, kafka.CommittedOffset("g3", "o", 0)!.Value.Offset);
        consumer.Close();
        consumer.Dispose();
    }

    [Fact]
    public async Task WatermarksAreCachedFromFetchesAndQueried()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("w", 1);
        kafka.Change("w", 0, l =>
        {
            l.Append(7);
            l.LogStart = 2;
        });
        using Consumer<string, string> consumer = Create(Config(kafka));
        var tp = new TopicPartition("w", 0);
        Assert.Equal(new WatermarkOffsets(Offset.Unset, Offset.Unset), consumer.GetWatermarkOffsets(tp));
        Assert.Equal(new WatermarkOffsets(2, 7), consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)));
        consumer.Assign(new TopicPartitionOffset(tp, 2));
        Assert.Single(ConsumeMessages(consumer, 1));
        Assert.Equal(new WatermarkOffsets(2, 7), consumer.GetWatermarkOffsets(tp));
        kafka.Change("w", 0, l => l.Append(1));
        Assert.Equal(new WatermarkOffsets(2, 8), await consumer.QueryWatermarkOffsetsAsync(tp));
    }

    [Fact]
    public async Task OffsetsForTimesFindsTheFirstOffsetAtOrAfterEachTimestamp()
    {
        await using var kafka = new FakeKafka(brokers: 2);
        kafka.CreateTopic("t", 2);
        kafka.Change("t", 0, l => l.Append(10, timestamp: 1_000));
        kafka.Change("t", 1, l => l.Append(10, timestamp: 5_000));
        using Consumer<string, string> consumer = Create(Config(kafka));
        List<TopicPartitionOffset> offsets = consumer.OffsetsForTimes(
        [
            new TopicPartitionTimestamp("t", 0, new Timestamp(1_004, TimestampType.CreateTime)),
            new TopicPartitionTimestamp("t", 1, new Timestamp(1_004, TimestampType.CreateTime)),
        ], TimeSpan.FromSeconds(5));
        Assert.Equal(4, offsets[0].Offset.Value);
        Assert.Equal(0, offsets[1].Offset.Value);
        TopicPartitionOffset late = Assert.Single(await consumer.OffsetsForTimesAsync([new TopicPartitionTimestamp("t", 1, new Timestamp(9_999_999, TimestampType.CreateTime))]));
        Assert.Equal(Offset.End, late.Offset);
        Assert.Throws<ArgumentException>(() => consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp("t", 1, new Timestamp(1, TimestampType.CreateTime)), new TopicPartitionTimestamp("t", 1, new Timestamp(2, TimestampType.CreateTime))],
            TimeSpan.FromSeconds(5)));

        kafka.NoTimestampLookup = true;
        KafkaException unsupported = Assert.Throws<KafkaException>(() => consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp("t", 0, new Timestamp(1_004, TimestampType.CreateTime))], TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.LocalUnsupportedFeature, unsupported.Error);
        Assert.Contains("t [0]", unsupported.Message, StringComparison.Ordinal);

        KafkaException unknown = await Assert.ThrowsAsync<KafkaException>(() => consumer.OffsetsForTimesAsync(
            [new TopicPartitionTimestamp("nope", 0, new Timestamp(1, TimestampType.CreateTime))]));
        Assert.Contains("nope", unknown.Message, StringComparison.Ordinal);
    }
}
