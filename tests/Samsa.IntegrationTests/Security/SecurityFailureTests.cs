using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Samsa.IntegrationTests.Cluster;
using Samsa.TestSupport;
using Samsa.TestSupport.SecureFront;
using Xunit.Abstractions;

namespace Samsa.IntegrationTests.Security;

/// <summary>
/// Each way TLS or SASL can fail, through the secure front: the producer's message fails quickly with an error
/// that says what went wrong (not a delivery timeout), the error is logged once, and the client does not storm
/// the broker with reconnects.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SecurityFailureTests(ClusterFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TestCertificates _certificates = CreateCertificates();

    [SkippableFact]
    public async Task A_wrong_password_is_an_authentication_error_reported_once_without_a_reconnect_storm()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("sasl_ssl", _certificates));
        var logs = new CapturingLoggerFactory();
        ProducerConfig config = Config(front, SecureSetups.ClientProperties("sasl_ssl", _certificates, "SCRAM-SHA-256", password: "not-alices-password"));
        KafkaException error = await FirstDeliveryFails(config, logs);
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, error.Error);
        Assert.Contains("invalid credentials with SASL mechanism SCRAM-SHA-256", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-alices-password", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Text.Contains("not-alices-password", StringComparison.Ordinal));
        foreach ((LogLevel level, string text) in logs.Lines.Where(l => l.Level >= LogLevel.Warning))
        {
            output.WriteLine($"{level}: {text}");
        }

        Assert.Single(logs.Lines, l => l.Level == LogLevel.Error && l.Text.Contains("invalid credentials", StringComparison.Ordinal));

        // Attempts to each broker are spaced by the reconnect backoff (100 ms doubling, ±20%): at 0, 0.1, 0.3, 0.7, 1.5
        // and 3.1 s, so at most 6 per broker in the ~4 s the producer lived; a storm would be hundreds.
        output.WriteLine("connections per broker: " + string.Join(", ", front.ConnectionCountPerBroker));
        Assert.All(front.ConnectionCountPerBroker, n => Assert.InRange(n, 0, 6));
    }

    [SkippableFact]
    public async Task An_unknown_user_is_refused_with_the_brokers_message()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("sasl_plaintext", _certificates));
        ProducerConfig config = Config(front, SecureSetups.ClientProperties("sasl_plaintext", _certificates, "PLAIN", user: "mallory", password: "x"));
        KafkaException error = await FirstDeliveryFails(config);
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, error.Error);
        Assert.Contains("Invalid username or password", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_mechanism_the_broker_does_not_enable_lists_the_enabled_ones()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("sasl_plaintext", _certificates, mechanisms: ["PLAIN", "SCRAM-SHA-256"]));
        KafkaException error = await FirstDeliveryFails(Config(front, SecureSetups.ClientProperties("sasl_plaintext", _certificates, "SCRAM-SHA-512")));
        Assert.Equal(ErrorCode.UnsupportedSaslMechanism, error.Error);
        Assert.Contains("SCRAM-SHA-512", error.Message, StringComparison.Ordinal);
        Assert.Contains("it enables: PLAIN, SCRAM-SHA-256", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_unknown_ca_is_a_tls_error_that_says_so()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("ssl", _certificates));
        Dictionary<string, string> properties = SecureSetups.ClientProperties("ssl", _certificates);
        properties["ssl.ca.location"] = _certificates.PathOf("other-ca.pem");
        KafkaException error = await FirstDeliveryFails(Config(front, properties));
        Assert.Equal(ErrorCode.LocalSsl, error.Error);
        Assert.Contains("not signed by a trusted CA", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_certificate_for_another_host_is_a_hostname_mismatch_unless_the_check_is_off()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster,
            SecureSetups.Options("ssl", _certificates) with { ServerCertificate = _certificates.WrongHost });
        Dictionary<string, string> properties = SecureSetups.ClientProperties("ssl", _certificates);
        KafkaException error = await FirstDeliveryFails(Config(front, properties));
        Assert.Equal(ErrorCode.LocalSsl, error.Error);
        Assert.Contains("host name mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains("wrong.example", error.Message, StringComparison.Ordinal);

        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        properties["ssl.endpoint.identification.algorithm"] = "none";
        await using var producer = new Producer<string, string>(Config(front, properties));
        DeliveryResult<string, string> result = await producer.ProduceAsync(topic, new Message<string, string> { Value = "ok" });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }

    [SkippableFact]
    public async Task An_expired_certificate_is_a_tls_error_that_says_so_unless_verification_is_off()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster,
            SecureSetups.Options("ssl", _certificates) with { ServerCertificate = _certificates.Expired });
        Dictionary<string, string> properties = SecureSetups.ClientProperties("ssl", _certificates);
        KafkaException error = await FirstDeliveryFails(Config(front, properties));
        Assert.Equal(ErrorCode.LocalSsl, error.Error);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);

        string topic = UniqueNames.Topic();
        await fixture.CreateTopicAsync(topic, 1);
        properties["enable.ssl.certificate.verification"] = "false";
        await using var producer = new Producer<string, string>(Config(front, properties));
        Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync(topic, new Message<string, string> { Value = "ok" })).Status);
    }

    [SkippableFact]
    public async Task Mutual_tls_without_a_client_certificate_fails_clearly()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("mtls", _certificates));
        KafkaException error = await FirstDeliveryFails(Config(front, SecureSetups.ClientProperties("ssl", _certificates)));
        Assert.Equal(ErrorCode.LocalSsl, error.Error);
        Assert.Contains("client certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains(front.Failures, f => f.Contains("sent no certificate", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Mutual_tls_with_a_certificate_from_another_ca_fails_clearly()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("mtls", _certificates));
        Dictionary<string, string> properties = SecureSetups.ClientProperties("mtls", _certificates);
        properties["ssl.certificate.location"] = _certificates.PathOf("stranger.pem");
        properties["ssl.key.location"] = _certificates.PathOf("stranger.key");
        KafkaException error = await FirstDeliveryFails(Config(front, properties));
        Assert.Equal(ErrorCode.LocalSsl, error.Error);
        Assert.Contains("client certificate", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_expired_token_is_refused_by_the_broker_with_its_reason()
    {
        await using SecureFront front = SecureFront.Start(fixture.Cluster, SecureSetups.Options("sasl_plaintext", _certificates));
        ProducerConfig config = Config(front, SecureSetups.ClientProperties("sasl_plaintext", _certificates, "OAUTHBEARER")) with
        {
            SaslOAuthBearerConfig = null,
            OAuthBearerTokenProvider = _ => ValueTask.FromResult(Tokens.ExpiredButClaimedValid("erin")),
        };
        KafkaException error = await FirstDeliveryFails(config);
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, error.Error);
        Assert.Contains("the token expired", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_token", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Tls_to_a_plaintext_listener_fails_fast_with_a_tls_error()
    {
        var properties = new Dictionary<string, string> { ["security.protocol"] = "ssl" };
        KafkaException error = await FirstDeliveryFails(ProducerConfig.FromProperties(properties.Append(new("bootstrap.servers", fixture.Cluster.BootstrapServers))));
        Assert.Equal(ErrorCode.LocalSsl, error.Error);
        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
    }

    private async Task<KafkaException> FirstDeliveryFails(ProducerConfig config, ILoggerFactory? logs = null)
    {
        // A long delivery timeout: the failure must come from the security error, not from a timeout.
        config = config with { DeliveryTimeout = TimeSpan.FromSeconds(120), RequestTimeout = TimeSpan.FromSeconds(60) };
        var watch = Stopwatch.StartNew();
        KafkaException error;
        await using (var producer = new Producer<string, string>(config, loggerFactory: logs))
        {
            error = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
                producer.ProduceAsync(UniqueNames.Topic(), new Message<string, string> { Value = "x" }).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            await Task.Delay(TimeSpan.FromSeconds(3)); // let the client retry a while: attempts must stay few
        }

        output.WriteLine($"after {watch.ElapsedMilliseconds} ms: {error.Message}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        return error;
    }

    private static ProducerConfig Config(SecureFront front, Dictionary<string, string> properties) => SecureProducerTests.Config(front, properties);

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
