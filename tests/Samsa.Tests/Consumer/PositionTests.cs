using Samsa.Compression;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class PositionTests
{
    [Theory]
    [InlineData(AutoOffsetReset.Earliest)]
    [InlineData(AutoOffsetReset.Latest)]
    public async Task OffsetOutOfRangeResetsAsConfigured(AutoOffsetReset reset)
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("r", 1);
        kafka.Change("r", 0, l =>
        {
            l.Append(10);
            l.LogStart = 4;
        });
        using Consumer<string, string> consumer = Create(Config(kafka) with { AutoOffsetReset = reset });
        consumer.Assign(new TopicPartitionOffset("r", 0, 50));
        if (reset == AutoOffsetReset.Earliest)
        {
            Assert.Equal([4L, 5, 6], Offsets(ConsumeMessages(consumer, 3)));
        }
        else
        {
            // Nothing is delivered while the fetch at 50 meets OFFSET_OUT_OF_RANGE and the position resets to the end
            // (polled until it did: a fixed wait of 500 ms was once too short on a loaded CI machine).
            var tp = new TopicPartition("r", 0);
            await WaitUntilAsync(() =>
            {
                Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(50)));
                return consumer.Position(tp).Value == 10;
            }, "the position to reset to the log end (10)");
            kafka.Change("r", 0, l => l.Append(2));
            Assert.Equal([10L, 11], Offsets(ConsumeMessages(consumer, 2)));
        }
    }

    [Fact]
    public async Task OffsetOutOfRangeWithResetErrorIsRaisedAndSeekRecovers()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("r", 1);
        kafka.Change("r", 0, l => l.Append(10));
        using Consumer<string, string> consumer = Create(Config(kafka) with { AutoOffsetReset = AutoOffsetReset.Error });
        consumer.Assign(new TopicPartitionOffset("r", 0, 50));
        ConsumeException ex = Assert.Throws<ConsumeException>(() => consumer.Consume(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.LocalAutoOffsetReset, ex.Error);
        Assert.Contains("OFFSET_OUT_OF_RANGE", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new TopicPartition("r", 0), ex.TopicPartitionOffset!.Value.TopicPartition);

        // The partition stays stopped until sought.
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
        consumer.Seek(new TopicPartitionOffset("r", 0, 7));
        Assert.Equal([7L, 8, 9], Offsets(ConsumeMessages(consumer, 3)));
    }

    [Fact]
    public async Task NoCommittedOffsetWithResetErrorIsRaised()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("r", 1);
        kafka.Change("r", 0, l => l.Append(3));
        using Consumer<string, string> consumer = Create(Config(kafka, "g") with { AutoOffsetReset = AutoOffsetReset.Error });
        consumer.Assign(new TopicPartition("r", 0));
        ConsumeException ex = Assert.Throws<ConsumeException>(() => consumer.Consume(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.LocalAutoOffsetReset, ex.Error);
        Assert.Contains("no committed offset", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeekDropsBufferedDataAndPositionFollows()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("p", 1);
        kafka.Change("p", 0, l => l.Append(10));
        using Consumer<string, string> consumer = Create(Config(kafka));
        var tp = new TopicPartition("p", 0);
        consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
        Assert.Equal([0L, 1, 2, 3, 4], Offsets(ConsumeMessages(consumer, 5)));
        Assert.Equal(5, consumer.Position(tp).Value);
        consumer.Seek(new TopicPartitionOffset(tp, 2));
        Assert.Equal(2, consumer.Position(tp).Value);
        Assert.Equal([2L, 3, 4, 5, 6, 7, 8, 9], Offsets(ConsumeMessages(consumer, 8)));
        consumer.Seek(new TopicPartitionOffset(tp, Offset.End));
        await WaitUntilAsync(() => consumer.Position(tp).Value == 10, "the end offset to be looked up");
        kafka.Change("p", 0, l => l.Append(1));
        ConsumeResult<string, string> last = Assert.Single(ConsumeMessages(consumer, 1));
        Assert.Equal(10, last.Offset.Value);
        Assert.Equal("v-10", last.Message.Value);
        Assert.Equal("k10", last.Message.Key);
        Assert.Equal("x10", System.Text.Encoding.UTF8.GetString(last.Message.Headers![0].Value.Span));
        Assert.Equal(TimestampType.CreateTime, last.Message.Timestamp.Type);
        Assert.Equal(1_000_010, last.Message.Timestamp.UnixTimestampMs);
    }

    [Fact]
    public async Task PausedPartitionsKeepTheirDataUntilResumed()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("p", 2, _ => 1);
        kafka.Change("p", 0, l => l.Append(3));
        kafka.Change("p", 1, l => l.Append(3));
        using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign([new TopicPartitionOffset("p", 0, 0), new TopicPartitionOffset("p", 1, 0)]);
        await WaitUntilAsync(() => consumer.Engine.Fetcher.BufferedRecords == 6, "both partitions buffered");
        consumer.Pause([new TopicPartition("p", 1)]);
        List<ConsumeResult<string, string>> first = ConsumeMessages(consumer, 6, TimeSpan.FromSeconds(1));
        Assert.Equal(3, first.Count);
        Assert.All(first, r => Assert.Equal(0, r.Partition));
        consumer.Resume([new TopicPartition("p", 1)]);
        List<ConsumeResult<string, string>> rest = ConsumeMessages(consumer, 3);
        Assert.Equal([0L, 1, 2], Offsets(rest));
        Assert.All(rest, r => Assert.Equal(1, r.Partition));
    }

    [Fact]
    public async Task CompressedBatchesOfEveryCodecAreDecoded()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("c", 1);
        kafka.Change("c", 0, l =>
        {
            l.Append(5, compression: CompressionType.Gzip);
            l.Append(5, compression: CompressionType.Snappy);
            l.Append(5, compression: CompressionType.Lz4);
            l.Append(5, compression: CompressionType.Zstd, valueSize: 3000);
        });
        using Consumer<string, string> consumer = Create(Config(kafka) with { CheckCrcs = true });
        consumer.Assign(new TopicPartitionOffset("c", 0, 0));
        List<ConsumeResult<string, string>> results = ConsumeMessages(consumer, 20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), Offsets(results));
        Assert.Equal("v-7", results[7].Message.Value);
        Assert.StartsWith("v-17", results[17].Message.Value, StringComparison.Ordinal);
        Assert.Equal(3000, results[17].Message.Value.Length);
    }

    [Fact]
    public async Task EndOfPartitionIsReportedOncePerArrivalAtTheEnd()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("e", 2, _ => 1);
        kafka.Change("e", 0, l => l.Append(3));
        using Consumer<string, string> consumer = Create(Config(kafka) with { EnablePartitionEof = true });
        consumer.Assign([new TopicPartitionOffset("e", 0, 0), new TopicPartitionOffset("e", 1, 0)]);
        var events = new List<string>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            ConsumeResult<string, string>? r = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (r is not null)
            {
                events.Add(r.IsPartitionEOF ? $"eof {r.Partition}@{r.Offset}" : $"msg {r.Partition}@{r.Offset}");
            }
        }

        Assert.Equal(["msg 0@0", "msg 0@1", "msg 0@2", "eof 0@3"], events.Where(e => e.Contains(" 0@", StringComparison.Ordinal)));
        Assert.Equal(["eof 1@0"], events.Where(e => e.Contains(" 1@", StringComparison.Ordinal)));

        kafka.Change("e", 1, l => l.Append(2));
        events.Clear();
        watch.Restart();
        while (watch.Elapsed < TimeSpan.FromSeconds(1))
        {
            ConsumeResult<string, string>? r = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (r is not null)
            {
                events.Add(r.IsPartitionEOF ? $"eof {r.Partition}@{r.Offset}" : $"msg {r.Partition}@{r.Offset}");
            }
        }

        Assert.Equal(["msg 1@0", "msg 1@1", "eof 1@2"], events);
    }
}
