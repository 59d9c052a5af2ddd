using System.Diagnostics;
using System.Text;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Producer;

/// <summary>The producer under fault injection: brokers going down and up, leaders moving, errors pushed into responses.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProducerFaultTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [SkippableFact]
    public Task A_million_messages_survive_leaders_moving_with_no_loss_no_duplicates_and_order_kept() =>
        ProduceThroughFaultsAsync(brokersGoDown: false);

    [SkippableFact]
    public Task A_million_messages_survive_brokers_going_down_and_up_and_leaders_moving() =>
        ProduceThroughFaultsAsync(brokersGoDown: true);

    private async Task ProduceThroughFaultsAsync(bool brokersGoDown)
    {
        Skip.IfNot(fixture.SupportsFaultInjection, "needs the embedded test cluster's fault injection");
        TestCluster cluster = fixture.Cluster;
        const int partitions = 64;
        const int count = 1_000_000;
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, partitions, replicationFactor: 3);
        var verification = new ProduceVerification();
        using var chaosStop = new CancellationTokenSource();
        var chaosLog = new List<string>();
        Task chaos = Task.Run(async () =>
        {
            var random = new Random(7);
            int round = 0;
            while (!chaosStop.IsCancellationRequested)
            {
                round++;
                if (brokersGoDown && round % 3 == 0)
                {
                    int broker = 1 + random.Next(cluster.BrokerCount);
                    chaosLog.Add($"broker {broker} down");
                    await cluster.BrokerDownAsync(broker);
                    await Task.Delay(300);
                    await cluster.BrokerUpAsync(broker);
                }
                else
                {
                    // Eight different partitions per round: moving one partition's leader away and straight back
                    // can land between two pipelined requests, so the mock refuses the first (NOT_LEADER) and appends
                    // the second. Kafka would refuse the second too (OUT_OF_ORDER_SEQUENCE_NUMBER: the first is
                    // missing), but the mock checks no sequences without a transactional.id, so the retried first
                    // batch would land after it. That case is tested against a sequence-enforcing fake broker
                    // (IdempotenceTests, HostileBrokerTests); here the rounds are 250 ms apart.
                    var moved = new HashSet<int>();
                    while (moved.Count < 8)
                    {
                        int p = random.Next(partitions);
                        if (moved.Add(p))
                        {
                            await cluster.SetLeaderAsync(topic, p, 1 + random.Next(cluster.BrokerCount));
                        }
                    }

                    chaosLog.Add("8 leaders moved");
                }

                await Task.Delay(250);
            }
        });

        var watch = Stopwatch.StartNew();
        var config = new ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            RequestTimeout = TimeSpan.FromSeconds(5),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(500),
        };
        await using (var producer = new Producer<byte[], byte[]>(config))
        {
            byte[][] keys = Enumerable.Range(0, 5_000).Select(i => Encoding.UTF8.GetBytes("k" + i)).ToArray();
            for (int i = 0; i < count; i++)
            {
                var message = new Message<byte[], byte[]> { Key = keys[i % keys.Length], Value = ProduceVerification.Value(i, 40) };
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, message, verification, i);
                        break;
                    }
                    catch (KafkaException ex) when (ex.Error == ErrorCode.LocalQueueFull)
                    {
                        await Task.Delay(1);
                    }
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
        }

        await chaosStop.CancelAsync();
        await chaos;
        for (int b = 1; b <= cluster.BrokerCount; b++)
        {
            await cluster.BrokerUpAsync(b);
        }

        output.WriteLine($"Produced {count} in {watch.Elapsed.TotalSeconds:F1} s through {chaosLog.Count} faults: {string.Join(", ", chaosLog.Take(10))}...");
        List<LoggedRecord> log = TopicReader.ReadAll(fixture.BootstrapServers, topic, partitions, TimeSpan.FromMinutes(2));
        int duplicates = verification.Verify(log, count, allMustBeDelivered: true, allowRedelivery: brokersGoDown);
        output.WriteLine($"{log.Count} records in the log; {duplicates} later copies written by retries after a broker went down (the test cluster does not check producer sequences).");
        Assert.Equal(count + duplicates, log.Count);
    }

    public static TheoryData<ErrorCode> RetriableErrors() =>
    [
        ErrorCode.NotLeaderOrFollower,
        ErrorCode.LeaderNotAvailable,
        ErrorCode.RequestTimedOut,
        ErrorCode.NetworkException,
        ErrorCode.NotEnoughReplicas,
        ErrorCode.NotEnoughReplicasAfterAppend,
        ErrorCode.KafkaStorageError,
        ErrorCode.UnknownTopicOrPartition,
        ErrorCode.CorruptMessage,
        ErrorCode.ThrottlingQuotaExceeded,
    ];

    [SkippableTheory]
    [MemberData(nameof(RetriableErrors))]
    public async Task Retriable_produce_errors_are_retried_until_delivered(ErrorCode error)
    {
        Skip.IfNot(fixture.SupportsFaultInjection, "needs the embedded test cluster's fault injection");
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        await using var producer = new Producer<string, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers, RetryBackoff = TimeSpan.FromMilliseconds(10) });
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "warm", Value = "up" });
        await fixture.Cluster.PushRequestErrorsAsync(Samsa.Protocol.ApiKey.Produce, error, error, error);
        DeliveryResult<string, string> result = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(1, result.Offset.Value);
        List<LoggedRecord> log = TopicReader.ReadAll(fixture.BootstrapServers, topic, 1, TimeSpan.FromSeconds(30));
        Assert.Equal(2, log.Count);
    }

    public static TheoryData<ErrorCode> FatalErrors() =>
    [
        ErrorCode.MessageTooLarge,
        ErrorCode.InvalidRecord,
        ErrorCode.TopicAuthorizationFailed,
        ErrorCode.RecordListTooLarge,
        ErrorCode.InvalidTimestamp,
    ];

    [SkippableTheory]
    [MemberData(nameof(FatalErrors))]
    public async Task Non_retriable_produce_errors_reach_the_delivery_result_with_their_code(ErrorCode error)
    {
        Skip.IfNot(fixture.SupportsFaultInjection, "needs the embedded test cluster's fault injection");
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        await using var producer = new Producer<string, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers });
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "warm", Value = "up" });
        await fixture.Cluster.PushRequestErrorsAsync(Samsa.Protocol.ApiKey.Produce, error);
        var ex = await Assert.ThrowsAsync<ProduceException<string, string>>(async () =>
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }));
        Assert.Equal(error, ex.Error);
        Assert.Contains(error.Name(), ex.Message, StringComparison.Ordinal);
        Assert.Equal(PersistenceStatus.NotPersisted, ex.DeliveryResult.Status);
        Assert.Equal("v", ex.DeliveryResult.Value);

        // The producer goes on working after a failed message.
        DeliveryResult<string, string> next = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "w" });
        Assert.Equal(PersistenceStatus.Persisted, next.Status);
    }
}
