using Samsa.Compression;
using static Samsa.Tests.Consumer.ConsumerTestKit;

namespace Samsa.Tests.Consumer;

public sealed class ReadCommittedTests
{
    /// <summary>
    /// offsets: 0-1 plain; 2-4 txn P10; 5-6 txn P11 (aborted, lz4); 7 commit P10; 8 txn P11 (aborted); 9 abort P11;
    /// 10-11 txn P11 (a new, committed transaction); 12 commit P11; 13 plain.
    /// </summary>
    private static void WriteTransactions(FakeKafka kafka, string topic)
    {
        kafka.Change(topic, 0, log =>
        {
            log.Append(2, "plain");
            log.Append(3, "p10", producerId: 10, transactional: true);
            log.Append(2, "p11-aborted", CompressionType.Lz4, producerId: 11, transactional: true);
            log.AppendMarker(10, commit: true);
            log.Append(1, "p11-aborted", producerId: 11, transactional: true);
            log.AppendMarker(11, commit: false);
            log.Append(2, "p11-next", producerId: 11, transactional: true);
            log.AppendMarker(11, commit: true);
            log.Append(1, "plain");
            log.Aborted.Add((11, 5));
        });
    }

    [Fact]
    public async Task ReadCommittedSkipsAbortedTransactionsAndControlRecords()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("tx", 1);
        WriteTransactions(kafka, "tx");
        using Consumer<string, string> consumer = Create(Config(kafka) with { IsolationLevel = IsolationLevel.ReadCommitted });
        consumer.Assign(new TopicPartitionOffset("tx", 0, Offset.Beginning));
        List<ConsumeResult<string, string>> results = ConsumeMessages(consumer, 8);
        Assert.Equal([0L, 1, 2, 3, 4, 10, 11, 13], Offsets(results));
        Assert.All(results, r => Assert.DoesNotContain("aborted", r.Message.Value, StringComparison.Ordinal));

        // Nothing else comes; the position has moved past every control record.
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(14, consumer.Position(new TopicPartition("tx", 0)).Value);
        Assert.All(kafka.Fetches, f => Assert.Equal(1, f.Request.IsolationLevel));
    }

    [Fact]
    public async Task ReadUncommittedDeliversAbortedRecordsButNeverControlRecords()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("tx", 1);
        WriteTransactions(kafka, "tx");
        using Consumer<string, string> consumer = Create(Config(kafka) with { IsolationLevel = IsolationLevel.ReadUncommitted });
        consumer.Assign(new TopicPartitionOffset("tx", 0, Offset.Beginning));
        List<ConsumeResult<string, string>> results = ConsumeMessages(consumer, 11);
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 8, 10, 11, 13], Offsets(results));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
        Assert.All(kafka.Fetches, f => Assert.Equal(0, f.Request.IsolationLevel));
    }

    [Fact]
    public async Task AbortedTransactionStartingBeforeTheFetchOffsetIsStillSkipped()
    {
        await using var kafka = new FakeKafka();
        kafka.CreateTopic("tx", 1);
        WriteTransactions(kafka, "tx");
        using Consumer<string, string> consumer = Create(Config(kafka) with { IsolationLevel = IsolationLevel.ReadCommitted });

        // Start in the middle of the aborted transaction (offset 6): its remaining batch at 8 must be skipped.
        consumer.Assign(new TopicPartitionOffset("tx", 0, 6));
        List<ConsumeResult<string, string>> results = ConsumeMessages(consumer, 3);
        Assert.Equal([10L, 11, 13], Offsets(results));
    }
}
