using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class BadInputTests
{
    [Fact]
    public async Task CallsAfterCloseAreObjectDisposed()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("b", 1);
        Consumer<string, string> consumer = Create(Config(kafka, "g"));
        consumer.Assign(new TopicPartitionOffset("b", 0, 0));
        consumer.Close();
        Assert.Throws<ObjectDisposedException>(() => consumer.Consume(TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => consumer.TryConsumeRaw(out _, TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => consumer.Assign(new TopicPartition("b", 0)));
        Assert.Throws<ObjectDisposedException>(() => consumer.Commit());
        Assert.Throws<ObjectDisposedException>(() => consumer.Seek(new TopicPartitionOffset("b", 0, 0)));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await consumer.ConsumeAsync());
        consumer.Close();
        await consumer.DisposeAsync();
    }

    [Fact]
    public async Task ArgumentsAreCheckedWithClearErrors()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("b", 2);
        using Consumer<string, string> consumer = Create(Config(kafka, "g"));
        consumer.Assign(new TopicPartitionOffset("b", 0, 0));

        Assert.Throws<ArgumentOutOfRangeException>(() => consumer.Consume(TimeSpan.FromMilliseconds(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => consumer.TryConsumeRaw(out _, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => consumer.Committed([new TopicPartition("b", 0)], TimeSpan.FromSeconds(-2)));

        KafkaException notAssigned = Assert.Throws<KafkaException>(() => consumer.Commit([new TopicPartitionOffset("b", 1, 3)]));
        Assert.Contains("b [1]", notAssigned.Message, StringComparison.Ordinal);
        Assert.Contains("not assigned", notAssigned.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => consumer.Commit([new TopicPartitionOffset("b", 0, Offset.End)]));
        Assert.Equal(ErrorCode.LocalState, Assert.Throws<KafkaException>(() => consumer.Seek(new TopicPartitionOffset("b", 1, 0))).Error);
        Assert.Equal(ErrorCode.LocalState, Assert.Throws<KafkaException>(() => consumer.Position(new TopicPartition("b", 1))).Error);
        Assert.Throws<KafkaException>(() => consumer.Pause([new TopicPartition("zz", 0)]));
        Assert.Throws<KafkaException>(() => consumer.IncrementalAssign([new TopicPartition("b", 0)]));
        Assert.Throws<KafkaException>(() => consumer.IncrementalUnassign([new TopicPartition("b", 1)]));
        Assert.Throws<ArgumentException>(() => consumer.Assign(new TopicPartitionOffset("b", 0, -7)));
        Assert.Throws<ArgumentException>(() => consumer.Assign(new TopicPartitionOffset("b", -1, 0)));
        Assert.Throws<ArgumentException>(() => consumer.Assign([new TopicPartitionOffset("b", 0, 0), new TopicPartitionOffset("b", 0, 1)]));
        Assert.Throws<ArgumentException>(() => consumer.Assign(new TopicPartitionOffset("", 0, 0)));

        KafkaException store = Assert.Throws<KafkaException>(() => consumer.StoreOffset(new TopicPartitionOffset("b", 0, 1)));
        Assert.Contains("enable.auto.offset.store", store.Message, StringComparison.Ordinal);

        ArgumentException regex = Assert.Throws<ArgumentException>(() => consumer.Subscribe("^orders-(unclosed"));
        Assert.Contains("^orders-(unclosed", regex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => consumer.Subscribe(Array.Empty<string>()));
        Assert.Throws<ArgumentException>(() => consumer.Subscribe(""));
    }

    [Fact]
    public async Task GroupOperationsWithoutGroupIdNameTheProperty()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("b", 1);
        using Consumer<string, string> consumer = Create(Config(kafka));
        Assert.Equal("group.id", Assert.Throws<ConfigException>(() => consumer.Subscribe("b")).Property);
        consumer.Assign(new TopicPartitionOffset("b", 0, 0));
        Assert.Equal("group.id", Assert.Throws<ConfigException>(() => consumer.Commit()).Property);
        Assert.Equal("group.id", Assert.Throws<ConfigException>(() => consumer.Committed([new TopicPartition("b", 0)], TimeSpan.FromSeconds(1))).Property);
    }

    [Fact]
    public async Task BadConfigurationIsRejectedBeforeAnythingStarts()
    {
        await using var kafka = new FakeKafka();
        ConfigException ex = Assert.Throws<ConfigException>(() => Create(Config(kafka) with { GroupInstanceId = "x" }));
        Assert.Equal("group.instance.id", ex.Property);
        Assert.Throws<ConfigException>(() => Create(new ConsumerConfig()));
    }

    [Fact]
    public async Task AssigningAMissingTopicIsReportedAndConsumedOnceItExists()
    {
        await using var kafka = new FakeKafka();
        var errors = new List<KafkaException>();
        using Consumer<string, string> consumer = new ConsumerBuilder<string, string>(Config(kafka))
            .SetErrorHandler((_, e) => errors.Add(e))
            .Build();
        consumer.Assign(new TopicPartitionOffset("later", 0, Offset.Beginning));
        Assert.Null(consumer.Consume(TimeSpan.FromSeconds(1)));
        KafkaException missing = Assert.Single(errors);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, missing.Error);
        Assert.Contains("later", missing.Message, StringComparison.Ordinal);

        kafka.CreateTopic("later", 1);
        kafka.Change("later", 0, l => l.Append(2));
        Assert.Equal([0L, 1], Offsets(ConsumeMessages(consumer, 2)));
        Assert.Single(errors);
    }

    [Fact]
    public async Task UndeserializableRecordIsAConsumeExceptionAndConsumingGoesOn()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("d", 1);
        kafka.Change("d", 0, l => l.Append(3));
        using var consumer = new Consumer<string, int>(Config(kafka));
        consumer.Assign(new TopicPartitionOffset("d", 0, 0));
        ConsumeException ex = Assert.Throws<ConsumeException>(() => consumer.Consume(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.LocalValueDeserialization, ex.Error);
        Assert.Equal(0, ex.TopicPartitionOffset!.Value.Offset.Value);
        ConsumeException next = Assert.Throws<ConsumeException>(() => consumer.Consume(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, next.TopicPartitionOffset!.Value.Offset.Value);
        Assert.Equal(2, consumer.Position(new TopicPartition("d", 0)).Value);
    }
}
