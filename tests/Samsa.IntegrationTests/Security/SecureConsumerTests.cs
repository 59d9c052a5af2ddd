using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using Samsa.TestSupport.SecureFront;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Security;

/// <summary>
/// Samsa's consumer over TLS, mutual TLS and SASL through the secure front: it reads back what Samsa's producer
/// wrote, commits through the group coordinator (found with FindCoordinator, rewritten by the front) and sees an
/// authentication failure through its error handler.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SecureConsumerTests(ClusterFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const int Partitions = 3;
    private readonly TestCertificates _certificates = CreateCertificates();

    [SkippableTheory]
    [MemberData(nameof(SecureFrontInteropTests.Setups), MemberType = typeof(SecureFrontInteropTests))]
    public async Task Consumes_what_was_produced_and_commits_through_the_front(string mode, string? mechanism)
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, Partitions);
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options(mode, _certificates));
        Dictionary<string, string> properties = SecureSetups.ClientProperties(mode, _certificates, mechanism);
        await using (var producer = new Producer<string, string>(SecureProducerTests.Config(front, properties)))
        {
            var deliveries = Enumerable.Range(0, 60)
                .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = "k" + i, Value = "v" + i }).AsTask());
            await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(60));
        }

        string group = UniqueNames.Group();
        ConsumerConfig config = ConsumerConfig.FromProperties(properties
            .Append(new("bootstrap.servers", front.BootstrapServers))
            .Append(new("group.id", group))
            .Append(new("enable.auto.commit", "false"))
            .Append(new("enable.partition.eof", "true"))
            .Append(new("fetch.wait.max.ms", "100")));
        var values = new List<string>();
        await using (var consumer = new Consumer<string, string>(config))
        {
            consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            var ended = new HashSet<int>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (ended.Count < Partitions && DateTime.UtcNow < deadline)
            {
                ConsumeResult<string, string>? result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    ended.Add(result.Partition);
                    continue;
                }

                values.Add(result.Message.Value);
            }

            List<TopicPartitionOffset> committed = await consumer.CommitAsync();
            Assert.Equal(60, committed.Sum(c => c.Offset.Value));
            List<TopicPartitionOffset> read = await consumer.CommittedAsync(Enumerable.Range(0, Partitions).Select(p => new TopicPartition(topic, p)));
            Assert.Equal(60, read.Sum(c => c.Offset.Value));
        }

        output.WriteLine($"{mode}/{mechanism}: {front.ConnectionCount} connections, {front.Authentications} authentications");
        Assert.Equal(Enumerable.Range(0, 60).Select(i => "v" + i).Order(), values.Order());
        Assert.Empty(front.Failures);
        Assert.Equal(0, front.RewriteFailures);
    }

    [SkippableFact]
    public async Task An_authentication_failure_reaches_the_error_handler_once()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("sasl_plaintext", _certificates));
        Dictionary<string, string> properties = SecureSetups.ClientProperties("sasl_plaintext", _certificates, "SCRAM-SHA-512", password: "nope");
        ConsumerConfig config = ConsumerConfig.FromProperties(properties.Append(new("bootstrap.servers", front.BootstrapServers)));
        var errors = new List<KafkaException>();
        await using var consumer = new ConsumerBuilder<string, string>(config).SetErrorHandler((_, e) => errors.Add(e)).Build();
        consumer.Assign(new TopicPartitionOffset(UniqueNames.Topic(), 0, Offset.Beginning));
        var deadline = DateTime.UtcNow.AddSeconds(4);
        while (DateTime.UtcNow < deadline)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        KafkaException error = Assert.Single(errors);
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, error.Error);
        Assert.Contains("invalid credentials", error.Message, StringComparison.Ordinal);
    }

    private static TestCertificates CreateCertificates()
    {
        TestCertificates certificates = TestCertificates.Create();
        certificates.WriteTo();
        return certificates;
    }

    public void Dispose()
    {
        string? directory = _certificates.Directory;
        _certificates.Dispose();
        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
