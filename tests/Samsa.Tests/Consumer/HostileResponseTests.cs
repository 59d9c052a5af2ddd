using System.Buffers.Binary;
using Samsa.Protocol;
using Samsa.Protocol.Records;
using Samsa.TestSupport;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class HostileResponseTests
{
    [Fact]
    public async Task MalformedFetchResponseIsAProtocolErrorAndFetchingRecovers()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("h", 1);
        kafka.Change("h", 0, l => l.Append(5));
        int hostile = 2;
        kafka.Intercept = (node, request) =>
        {
            if (request.ApiKey != ApiKey.Fetch || Interlocked.Decrement(ref hostile) < 0)
            {
                return null;
            }

            // A frame whose body claims 2 billion topics.
            byte[] frame = new byte[4 + 1 + 4 + 8];
            BinaryPrimitives.WriteInt32BigEndian(frame, request.CorrelationId);
            frame[4] = 0; // no tagged fields in the v1 response header
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), 0);
            frame.AsSpan(9).Fill(0x7F);
            return new FakeReply.Raw(frame);
        };
        var errors = new List<KafkaException>();
        using Consumer<string, string> consumer = new ConsumerBuilder<string, string>(Config(kafka))
            .SetErrorHandler((_, e) => errors.Add(e))
            .Build();
        consumer.Assign(new TopicPartitionOffset("h", 0, 0));
        Assert.Equal([0L, 1, 2, 3, 4], Offsets(ConsumeMessages(consumer, 5)));
        Assert.Contains(errors, e => e.Error == ErrorCode.LocalProtocol);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task CorruptBatchWithCheckCrcsIsReportedThenConsumedOnceRepaired()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("h", 1);
        byte[] good = [];
        kafka.Change("h", 0, l =>
        {
            l.Append(5);
            l.Append(5);
            good = (byte[])l.LastBatch.Clone();
            l.CorruptLastBatch();
        });
        using Consumer<string, string> consumer = Create(Config(kafka) with { CheckCrcs = true });
        consumer.Assign(new TopicPartitionOffset("h", 0, 0));
        Assert.Equal([0L, 1, 2, 3, 4], Offsets(ConsumeMessages(consumer, 5)));
        ConsumeException ex = Assert.Throws<ConsumeException>(() => consumer.Consume(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.LocalCrc, ex.Error);
        Assert.Equal(5, ex.TopicPartitionOffset!.Value.Offset.Value);

        kafka.Change("h", 0, l => l.ReplaceLastBatch(good));
        Assert.Equal([5L, 6, 7, 8, 9], Offsets(ConsumeMessagesTolerating(consumer, 5, ErrorCode.LocalCrc, out _)));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task MalformedRecordInsideABatchIsReportedAndRefetched()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("h", 1);
        byte[] good = [];
        kafka.Change("h", 0, l =>
        {
            l.Append(3);
            good = (byte[])l.LastBatch.Clone();

            // The second record's length varint claims far more bytes than there are; the CRC is made valid again.
            byte[] bad = (byte[])good.Clone();
            int first = RecordLength(bad, RecordBatchHeader.Size, out int size);
            bad[RecordBatchHeader.Size + size + first] = 0x7E;
            RecordBatchHeader.WriteCrc(bad);
            l.ReplaceLastBatch(bad);
        });
        using Consumer<string, string> consumer = Create(Config(kafka) with { CheckCrcs = true });
        consumer.Assign(new TopicPartitionOffset("h", 0, 0));
        Assert.Equal([0L], Offsets(ConsumeMessages(consumer, 1)));
        ConsumeException ex = Assert.Throws<ConsumeException>(() => consumer.Consume(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.LocalProtocol, ex.Error);
        Assert.Contains("malformed", ex.Message, StringComparison.Ordinal);

        kafka.Change("h", 0, l => l.ReplaceLastBatch(good));
        Assert.Equal([1L, 2], Offsets(ConsumeMessagesTolerating(consumer, 2, ErrorCode.LocalProtocol, out _)));
    }

    [Fact]
    public async Task BatchWithAnImpossibleLengthIsAProtocolError()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("h", 1);
        byte[] good = [];
        kafka.Change("h", 0, l =>
        {
            l.Append(2);
            good = (byte[])l.LastBatch.Clone();
            byte[] bad = (byte[])good.Clone();
            BinaryPrimitives.WriteInt32BigEndian(bad.AsSpan(8), 3);
            l.ReplaceLastBatch(bad);
        });
        using Consumer<string, string> consumer = Create(Config(kafka));
        consumer.Assign(new TopicPartitionOffset("h", 0, 0));
        ConsumeException ex = Assert.Throws<ConsumeException>(() => consumer.Consume(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.LocalProtocol, ex.Error);
        kafka.Change("h", 0, l => l.ReplaceLastBatch(good));
        Assert.Equal([0L, 1], Offsets(ConsumeMessagesTolerating(consumer, 2, ErrorCode.LocalProtocol, out _)));
    }

    private static int RecordLength(byte[] batch, int at, out int size)
    {
        size = Varint.TryRead(batch.AsSpan(at), out int length);
        return length;
    }
}
