using System.Text;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using Samsa.TestSupport.SecureFront;
using Xunit.Abstractions;
using CK = Confluent.Kafka;

namespace Samsa.IntegrationTests.Security;

/// <summary>
/// The secure front checked by an independent client: librdkafka (Confluent.Kafka; OpenSSL TLS, its own SASL
/// PLAIN, SCRAM and OAUTHBEARER) produces and consumes through it. A front only Samsa could talk to would prove
/// nothing about Samsa.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SecureFrontInteropTests(ClusterFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TestCertificates _certificates = CreateCertificates();

    public static TheoryData<string, string?> Setups => new()
    {
        { "ssl", null },
        { "mtls", null },
        { "sasl_plaintext", "PLAIN" },
        { "sasl_plaintext", "SCRAM-SHA-256" },
        { "sasl_plaintext", "SCRAM-SHA-512" },
        { "sasl_plaintext", "OAUTHBEARER" },
        { "sasl_ssl", "PLAIN" },
        { "sasl_ssl", "SCRAM-SHA-256" },
        { "sasl_ssl", "SCRAM-SHA-512" },
        { "sasl_ssl", "OAUTHBEARER" },
    };

    [SkippableTheory]
    [MemberData(nameof(Setups))]
    public async Task Librdkafka_produces_and_consumes_through_the_front(string mode, string? mechanism)
    {
        Librdkafka.LoadForConfluentKafka();
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 3);
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options(mode, _certificates));
        Dictionary<string, string> properties = SecureSetups.ForLibrdkafka(SecureSetups.ClientProperties(mode, _certificates, mechanism));

        var config = new CK.ProducerConfig(new Dictionary<string, string>(properties)) { BootstrapServers = front.BootstrapServers, MessageTimeoutMs = 30_000 };
        using (CK.IProducer<string, string> producer = new CK.ProducerBuilder<string, string>(config).Build())
        {
            for (int i = 0; i < 50; i++)
            {
                await producer.ProduceAsync(topic, new CK.Message<string, string> { Key = "k" + i, Value = "v" + i });
            }
        }

        List<LoggedRecord> log = TopicReader.ReadAll(front.BootstrapServers, topic, 3, TimeSpan.FromSeconds(60), properties);
        output.WriteLine($"{mode}/{mechanism}: {front.ConnectionCount} connections, {front.TlsHandshakes} TLS handshakes, " +
            $"{front.Authentications} authentications; failures: {string.Join(" | ", front.Failures)}");
        Assert.Equal(50, log.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "v" + i).Order(), log.Select(r => Encoding.UTF8.GetString(r.Value!)).Order());
        Assert.Equal(0, front.RewriteFailures);
        // No failure: in particular no request came before authentication (the front refuses and records those).
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
    public async Task Librdkafka_is_refused_with_a_wrong_password()
    {
        Librdkafka.LoadForConfluentKafka();
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("sasl_plaintext", _certificates));
        Dictionary<string, string> properties = SecureSetups.ClientProperties("sasl_plaintext", _certificates, "SCRAM-SHA-256", password: "wrong");
        var errors = new List<string>();
        var config = new CK.ProducerConfig(properties) { BootstrapServers = front.BootstrapServers };
        using CK.IProducer<string, string> producer = new CK.ProducerBuilder<string, string>(config)
            .SetErrorHandler((_, e) => { lock (errors) { errors.Add(e.Reason); } })
            .Build();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && errors.Count == 0)
        {
            producer.Poll(TimeSpan.FromMilliseconds(100));
        }

        output.WriteLine(string.Join(Environment.NewLine, errors));
        Assert.Contains(errors, e => e.Contains("invalid credentials", StringComparison.Ordinal));
        Assert.Contains(front.Failures, f => f.Contains("invalid credentials", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Librdkafka_reauthenticates_through_the_front_when_sessions_expire()
    {
        Librdkafka.LoadForConfluentKafka();
        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        await using SecureFront front = SecureFront.Start(fixture.Cluster,
            SecureSetups.Options("sasl_plaintext", _certificates, sessionLifetime: TimeSpan.FromSeconds(2)));
        var config = new CK.ProducerConfig(SecureSetups.ClientProperties("sasl_plaintext", _certificates, "SCRAM-SHA-256"))
        {
            BootstrapServers = front.BootstrapServers,
            MessageTimeoutMs = 20_000,
        };
        using CK.IProducer<string, string> producer = new CK.ProducerBuilder<string, string>(config).Build();
        var until = DateTime.UtcNow.AddSeconds(7);
        int sent = 0;
        while (DateTime.UtcNow < until)
        {
            await producer.ProduceAsync(topic, new CK.Message<string, string> { Value = "m" + sent++ });
            await Task.Delay(50);
        }

        output.WriteLine($"{sent} messages; {front.ConnectionCount} connections, {front.Authentications} authentications, " +
            $"{front.Reauthentications} re-authentications, {front.ExpiredSessions} expired; {string.Join(" | ", front.Failures)}");
        Assert.True(front.Reauthentications >= 2, $"{front.Reauthentications} re-authentications");
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
