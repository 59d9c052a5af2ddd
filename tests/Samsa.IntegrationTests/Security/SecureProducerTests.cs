using System.Text;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using Samsa.TestSupport.SecureFront;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Security;

/// <summary>
/// Samsa's producer over TLS, mutual TLS and SASL through the secure front; what it wrote is read back through
/// the front by librdkafka, an independent reader (SecureConsumerTests reads it back with Samsa's consumer).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SecureProducerTests(ClusterFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TestCertificates _certificates = CreateCertificates();

    [SkippableTheory]
    [MemberData(nameof(SecureFrontInteropTests.Setups), MemberType = typeof(SecureFrontInteropTests))]
    public async Task Produces_through_the_front_and_librdkafka_reads_it_back(string mode, string? mechanism)
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 3);
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options(mode, _certificates));
        Dictionary<string, string> properties = SecureSetups.ClientProperties(mode, _certificates, mechanism);
        await ProduceAndVerifyAsync(front, topic, Config(front, properties), 200, properties);
        output.WriteLine($"{mode}/{mechanism}: {front.ConnectionCount} connections, {front.Authentications} authentications");
        Assert.Empty(front.Failures);
        if (mode is "ssl" or "mtls" or "sasl_ssl")
        {
            Assert.True(front.TlsHandshakes >= 2, $"{front.TlsHandshakes} TLS handshakes");
        }

        if (mechanism is not null)
        {
            Assert.True(front.Authentications >= 2, $"{front.Authentications} authentications");
            Assert.All(front.Principals, p => Assert.Equal(SecureSetups.User, p));
        }
    }

    [SkippableFact]
    public async Task Mutual_tls_with_pem_strings_and_an_encrypted_key()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 3);
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("mtls", _certificates));
        var config = new ProducerConfig
        {
            BootstrapServers = front.BootstrapServersByName,
            SecurityProtocol = SecurityProtocol.Ssl,
            SslCaPem = _certificates.CaPem,
            SslCertificatePem = _certificates.ClientCertificatePem,
            SslKeyPem = _certificates.ClientKeyEncryptedPem,
            SslKeyPassword = TestCertificates.ClientKeyPassword,
        };
        await ProduceAndVerifyAsync(front, topic, config, 50, SecureSetups.ClientProperties("mtls", _certificates));
        Assert.True(front.TlsHandshakes >= 2);
    }

    [SkippableFact]
    public async Task A_ca_directory_verifies_the_broker()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("ssl", _certificates));
        string directory = Path.Combine(_certificates.Directory!, "ca-dir");
        Directory.CreateDirectory(directory);
        File.Copy(_certificates.PathOf("other-ca.pem"), Path.Combine(directory, "other.pem"));
        File.Copy(_certificates.PathOf("ca.pem"), Path.Combine(directory, "ours.crt"));
        var config = new ProducerConfig { BootstrapServers = front.BootstrapServers, SecurityProtocol = SecurityProtocol.Ssl, SslCaLocation = directory };
        await ProduceAndVerifyAsync(front, topic, config, 10, SecureSetups.ClientProperties("ssl", _certificates), partitions: 1);
    }

    [SkippableFact]
    public async Task Oauthbearer_tokens_from_a_provider_carry_their_extensions()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 3);
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("sasl_ssl", _certificates));
        int calls = 0;
        ProducerConfig config = Config(front, SecureSetups.ClientProperties("sasl_ssl", _certificates, "OAUTHBEARER")) with
        {
            SaslOAuthBearerConfig = null,
        };
        await using var producer = new ProducerBuilder<string, string>(config)
            .SetOAuthBearerTokenProvider(_ =>
            {
                Interlocked.Increment(ref calls);
                return ValueTask.FromResult(Tokens.Unsecured("carol", TimeSpan.FromHours(1), new Dictionary<string, string> { ["traceId"] = "t42" }));
            })
            .Build();
        for (int i = 0; i < 20; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k" + i, Value = "v" + i });
        }

        Assert.Equal(1, calls); // one token, shared by every connection
        Assert.Equal(front.ConnectionCount, front.Authentications);
        Assert.All(front.Principals, p => Assert.Equal("carol", p));
        Assert.Equal("t42", front.LastExtensions!["traceId"]);
    }

    [SkippableFact]
    public async Task Keeps_producing_across_reauthentications_on_the_same_connections()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 3);
        await using SecureFront front = SecureFront.Start(fixture.Cluster,
            SecureSetups.Options("sasl_ssl", _certificates, sessionLifetime: TimeSpan.FromSeconds(2)));
        ProducerConfig config = Config(front, SecureSetups.ClientProperties("sasl_ssl", _certificates, "SCRAM-SHA-512")) with { Linger = TimeSpan.FromMilliseconds(1) };
        int delivered = 0;
        int connectionsAfterWarmUp = -1;
        await using (var producer = new Producer<string, string>(config))
        {
            var start = DateTime.UtcNow;
            for (int i = 0; DateTime.UtcNow - start < TimeSpan.FromSeconds(8); i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = "k" + (i % 30), Value = "v" + i });
                delivered++;
                if (connectionsAfterWarmUp < 0 && DateTime.UtcNow - start > TimeSpan.FromSeconds(1))
                {
                    connectionsAfterWarmUp = front.ConnectionCount;
                }

                await Task.Delay(10);
            }
        }

        output.WriteLine($"{delivered} delivered; {front.ConnectionCount} connections ({connectionsAfterWarmUp} after 1 s), " +
            $"{front.Authentications} authentications, {front.Reauthentications} re-authentications, {front.ExpiredSessions} expired; " +
            string.Join(" | ", front.Failures));
        Assert.True(front.Reauthentications >= 3 * front.Authentications, $"{front.Reauthentications} re-authentications for {front.Authentications} connections");
        Assert.Equal(0, front.ExpiredSessions);
        Assert.Equal(connectionsAfterWarmUp, front.ConnectionCount);
        Assert.Empty(front.Failures);
    }

    [SkippableFact]
    public async Task Expiring_tokens_are_refreshed_and_the_sessions_continue()
    {
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 3);
        await using SecureFront front = SecureFront.Start(fixture.Cluster,
            SecureSetups.Options("sasl_plaintext", _certificates, sessionLifetime: TimeSpan.FromMinutes(1)));
        int calls = 0;
        ProducerConfig config = Config(front, SecureSetups.ClientProperties("sasl_plaintext", _certificates, "OAUTHBEARER")) with
        {
            SaslOAuthBearerConfig = null,
            OAuthBearerTokenProvider = _ =>
            {
                Interlocked.Increment(ref calls);
                // Re-authentication is due at 85-95% of a session's life: with 6 s tokens that leaves 0.3-0.9 s for
                // the token call and the SASL round trip, enough on a loaded machine (3 s tokens were not).
                return ValueTask.FromResult(Tokens.Unsecured("dave", TimeSpan.FromSeconds(6)));
            },
        };
        int delivered = 0;
        await using (var producer = new Producer<string, string>(config))
        {
            var start = DateTime.UtcNow;
            while (DateTime.UtcNow - start < TimeSpan.FromSeconds(14))
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Value = "v" + delivered });
                delivered++;
                await Task.Delay(20);
            }
        }

        output.WriteLine($"{delivered} delivered, {calls} tokens; {front.ConnectionCount} connections, {front.Reauthentications} re-authentications, " +
            $"{front.ExpiredSessions} expired; {string.Join(" | ", front.Failures)}");
        Assert.True(calls >= 3, $"the provider was called {calls} times");
        Assert.True(front.Reauthentications >= 2, $"{front.Reauthentications} re-authentications");
        Assert.Equal(0, front.ExpiredSessions);
        Assert.Empty(front.Failures);
    }

    internal static ProducerConfig Config(SecureFront front, Dictionary<string, string> properties) =>
        ProducerConfig.FromProperties(properties.Append(new("bootstrap.servers", front.BootstrapServers)));

    private static async Task ProduceAndVerifyAsync(SecureFront front, string topic, ProducerConfig config, int count,
        Dictionary<string, string> readerProperties, int partitions = 3)
    {
        await using (var producer = new Producer<string, string>(config))
        {
            var deliveries = new List<Task<DeliveryResult<string, string>>>();
            for (int i = 0; i < count; i++)
            {
                deliveries.Add(producer.ProduceAsync(topic, new Message<string, string> { Key = "k" + i, Value = "v" + i }).AsTask());
            }

            DeliveryResult<string, string>[] results = await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        }

        List<LoggedRecord> log = TopicReader.ReadAll(front.BootstrapServers, topic, partitions, TimeSpan.FromSeconds(60),
            SecureSetups.ForLibrdkafka(readerProperties));
        Assert.Equal(Enumerable.Range(0, count).Select(i => "v" + i).Order(), log.Select(r => Encoding.UTF8.GetString(r.Value!)).Order());
        Assert.Equal(0, front.RewriteFailures);
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
