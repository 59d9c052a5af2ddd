using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using Samsa.TestSupport.SecureFront;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Security;

/// <summary>
/// Samsa's consumer over TLS, mutual TLS and SASL through the secure front: for every set-up it reads back, through
/// the same front, what Samsa's producer wrote there, and commits through the group coordinator (found with
/// FindCoordinator, rewritten by the front); also mutual TLS with PEM strings and an encrypted key, OAUTHBEARER
/// tokens from a provider, and an authentication failure through its error handler.
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
        await ProduceAsync(new Producer<string, string>(SecureProducerTests.Config(front, properties)), topic, 60);

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
            values.AddRange(ReadToEnd(consumer, topic));
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
    public async Task Mutual_tls_with_pem_strings_and_an_encrypted_key_round_trip()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, Partitions);
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("mtls", _certificates));
        var producerConfig = new ProducerConfig
        {
            BootstrapServers = front.BootstrapServersByName,
            SecurityProtocol = SecurityProtocol.Ssl,
            SslCaPem = _certificates.CaPem,
            SslCertificatePem = _certificates.ClientCertificatePem,
            SslKeyPem = _certificates.ClientKeyEncryptedPem,
            SslKeyPassword = TestCertificates.ClientKeyPassword,
        };
        await ProduceAsync(new Producer<string, string>(producerConfig), topic, 40);
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = front.BootstrapServersByName,
            SecurityProtocol = SecurityProtocol.Ssl,
            SslCaPem = _certificates.CaPem,
            SslCertificatePem = _certificates.ClientCertificatePem,
            SslKeyPem = _certificates.ClientKeyEncryptedPem,
            SslKeyPassword = TestCertificates.ClientKeyPassword,
            EnablePartitionEof = true,
        };
        List<string> values;
        await using (var consumer = new Consumer<string, string>(consumerConfig))
        {
            values = ReadToEnd(consumer, topic);
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(i => "v" + i).Order(), values.Order());
        Assert.True(front.TlsHandshakes >= 4, $"{front.TlsHandshakes} TLS handshakes"); // producer and consumer, each bootstrap + leaders
        Assert.Empty(front.Failures);
    }

    [SkippableFact]
    public async Task Oauthbearer_tokens_from_a_provider_round_trip()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, Partitions);
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("sasl_ssl", _certificates));
        Dictionary<string, string> properties = SecureSetups.ClientProperties("sasl_ssl", _certificates, "OAUTHBEARER");
        properties.Remove("sasl.oauthbearer.config");
        int producerCalls = 0;
        int consumerCalls = 0;
        var producer = new ProducerBuilder<string, string>(SecureProducerTests.Config(front, properties))
            .SetOAuthBearerTokenProvider(_ =>
            {
                Interlocked.Increment(ref producerCalls);
                return ValueTask.FromResult(Tokens.Unsecured("carol", TimeSpan.FromHours(1)));
            })
            .Build();
        await ProduceAsync(producer, topic, 40);
        ConsumerConfig config = ConsumerConfig.FromProperties(properties
            .Append(new("bootstrap.servers", front.BootstrapServers))
            .Append(new("enable.partition.eof", "true"))) with
        {
            OAuthBearerTokenProvider = _ =>
            {
                Interlocked.Increment(ref consumerCalls);
                return ValueTask.FromResult(Tokens.Unsecured("dave", TimeSpan.FromHours(1)));
            },
        };
        List<string> values;
        await using (var consumer = new Consumer<string, string>(config))
        {
            values = ReadToEnd(consumer, topic);
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(i => "v" + i).Order(), values.Order());
        Assert.Equal(1, producerCalls); // one token per client, shared by its connections
        Assert.Equal(1, consumerCalls);
        Assert.Contains("carol", front.Principals);
        Assert.Contains("dave", front.Principals);
        Assert.Equal(front.ConnectionCount, front.Authentications);
        Assert.Empty(front.Failures);
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

    /// <summary>Produces values v0..v(count-1) and waits for every delivery; disposes the producer.</summary>
    private static async Task ProduceAsync(Producer<string, string> producer, string topic, int count)
    {
        await using (producer)
        {
            var deliveries = Enumerable.Range(0, count)
                .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = "k" + i, Value = "v" + i }).AsTask());
            DeliveryResult<string, string>[] results = await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        }
    }

    /// <summary>Assigns every partition from the beginning and reads until each reports its end (enable.partition.eof).</summary>
    private static List<string> ReadToEnd(Consumer<string, string> consumer, string topic)
    {
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<string>();
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

        Assert.Equal(Partitions, ended.Count);
        return values;
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
