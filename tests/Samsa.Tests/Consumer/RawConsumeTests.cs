using Samsa.Compression;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class RawConsumeTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public async Task ConsumingRawRecordsAllocatesNothingPerRecord(CompressionType compression)
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("raw", 2, _ => 1);
        for (int p = 0; p < 2; p++)
        {
            kafka.Change("raw", p, l =>
            {
                for (int i = 0; i < 20; i++)
                {
                    l.Append(500, compression: compression, valueSize: 64);
                }
            });
        }

        using Consumer<string, string> consumer = Create(Config(kafka) with { CheckCrcs = true });
        consumer.Assign([new TopicPartitionOffset("raw", 0, 0), new TopicPartitionOffset("raw", 1, 0)]);
        await WaitUntilAsync(() => consumer.Engine.Fetcher.BufferedRecords == 20_000, "every record buffered");

        // Warm up (JIT, and a first chunk released on this thread: the shared array pool sets up its per-thread
        // cache on the first return), then measure the steady state on this thread.
        long sum = 0;
        for (int i = 0; i < 10_500; i++)
        {
            Assert.True(consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.Zero));
            sum += r.Value.Span[0] + r.Key.Length;
        }

        const int measured = 9_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < measured; i++)
        {
            if (!consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.Zero))
            {
                Assert.Fail($"record {i} was not ready");
            }

            sum += r.Value.Span[0] + r.Key.Length + r.Offset;
            foreach (Samsa.Protocol.Records.RecordHeaderView h in r.Headers)
            {
                sum += h.Value.Length;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(sum > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task RawRecordsCarryKeyValueHeadersAndTimestamp()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("raw", 1);
        kafka.Change("raw", 0, l => l.Append(2));
        using Consumer<string, string> consumer = Create(Config(kafka) with { EnablePartitionEof = true });
        consumer.Assign(new TopicPartitionOffset("raw", 0, 0));
        Assert.True(consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.FromSeconds(5)));
        Assert.Equal("raw", r.Topic);
        Assert.Equal(0, r.Offset);
        Assert.Equal("k0", System.Text.Encoding.UTF8.GetString(r.Key.Span));
        Assert.Equal("v-0", System.Text.Encoding.UTF8.GetString(r.Value.Span));
        Assert.False(r.KeyIsNull);
        Assert.Equal(1, r.Headers.Count);
        Assert.Equal(1_000_000, r.Timestamp.UnixTimestampMs);
        Assert.False(r.IsPartitionEof);
        Assert.True(consumer.TryConsumeRaw(out r, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, r.Offset);
        Assert.True(consumer.TryConsumeRaw(out r, TimeSpan.FromSeconds(5)));
        Assert.True(r.IsPartitionEof);
        Assert.Equal(2, r.Offset);
        Assert.True(r.ValueIsNull);
    }

    [Fact]
    public async Task RetainingAnExpiredRecordFails()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("raw", 1);
        kafka.Change("raw", 0, l => l.Append(1));
        using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign(new TopicPartitionOffset("raw", 0, 0));
        Assert.True(consumer.TryConsumeRaw(out ConsumedRecord r, TimeSpan.FromSeconds(5)));
        Assert.False(consumer.TryConsumeRaw(out _, TimeSpan.FromMilliseconds(100)));
        Assert.Throws<ObjectDisposedException>(() => r.Retain());
    }

    [Fact]
    public async Task AsyncConsumeAndAsyncStreamDeliverInOrder()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("a", 1);
        kafka.Change("a", 0, l => l.Append(5));
        await using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign(new TopicPartitionOffset("a", 0, 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ConsumeResult<string, string> first = await consumer.ConsumeAsync(cts.Token);
        Assert.Equal(0, first.Offset.Value);
        var rest = new List<long>();
        await foreach (ConsumeResult<string, string> r in consumer.ConsumeAllAsync(cts.Token))
        {
            rest.Add(r.Offset.Value);
            if (rest.Count == 4)
            {
                break;
            }
        }

        Assert.Equal([1L, 2, 3, 4], rest);
        using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await consumer.ConsumeAsync(quick.Token));
    }
}
