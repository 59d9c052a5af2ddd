using System.Text;
using Samsa.Network;
using Samsa.Network.Security;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Security;

/// <summary>The SASL exchange and KIP-368 re-authentication on a real connection, against a scripted broker.</summary>
public sealed class SaslConnectionTests
{
    private static ConnectionOptions Options(ISaslMechanism mechanism) => new()
    {
        ClientId = "sasl-test",
        RequestTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Authenticator = new SaslAuthenticator(mechanism),
    };

    private static MetadataResponse Metadata(FakeBroker broker) => new()
    {
        Brokers = { new MetadataResponse.MetadataResponseBroker { NodeId = broker.NodeId, Host = "127.0.0.1", Port = broker.Port } },
        ClusterId = "fake",
        ControllerId = broker.NodeId,
    };

    [Fact]
    public async Task Plain_sends_user_and_password_after_a_v1_handshake()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r => r.ApiKey switch
        {
            ApiKey.SaslHandshake => new FakeReply.Message(new SaslHandshakeResponse { Mechanisms = ["PLAIN"] }),
            ApiKey.SaslAuthenticate => new FakeReply.Message(new SaslAuthenticateResponse()),
            ApiKey.Metadata => new FakeReply.Message(Metadata(broker)),
            _ => null,
        };

        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options(new PlainMechanism("alice", "s3cret")), CancellationToken.None);
        await connection.SendAsync<MetadataRequest, MetadataResponse>(new MetadataRequest(), CancellationToken.None);

        FakeRequest[] received = [.. broker.Received];
        Assert.Equal([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate, ApiKey.Metadata], received.Select(r => r.ApiKey));
        Assert.Equal(1, received[1].Version);
        Assert.Equal("PLAIN", ((SaslHandshakeRequest)received[1].Message).Mechanism);
        Assert.Equal("\0alice\0s3cret", Encoding.UTF8.GetString(((SaslAuthenticateRequest)received[2].Message).AuthBytes));
        Assert.Null(connection.SessionLifetime);
    }

    [Fact]
    public async Task A_mechanism_the_broker_does_not_enable_is_reported_with_the_ones_it_does()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r => r.ApiKey == ApiKey.SaslHandshake
            ? new FakeReply.Message(new SaslHandshakeResponse { ErrorCode = (short)ErrorCode.UnsupportedSaslMechanism, Mechanisms = ["PLAIN", "SCRAM-SHA-256"] })
            : null;
        var error = await Assert.ThrowsAsync<KafkaException>(() => KafkaConnection.ConnectAsync(
            broker.Address, -1, Options(new ScramMechanism(System.Security.Cryptography.HashAlgorithmName.SHA512, "u", "p")), CancellationToken.None).AsTask());
        Assert.Equal(ErrorCode.UnsupportedSaslMechanism, error.Error);
        Assert.Contains("does not enable SASL mechanism SCRAM-SHA-512", error.Message, StringComparison.Ordinal);
        Assert.Contains("it enables: PLAIN, SCRAM-SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_brokers_error_message_is_surfaced_and_the_password_is_not()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r => r.ApiKey switch
        {
            ApiKey.SaslHandshake => new FakeReply.Message(new SaslHandshakeResponse { Mechanisms = ["PLAIN"] }),
            ApiKey.SaslAuthenticate => new FakeReply.Message(new SaslAuthenticateResponse
            {
                ErrorCode = (short)ErrorCode.SaslAuthenticationFailed,
                ErrorMessage = "Authentication failed: Invalid username or password",
            }),
            _ => null,
        };
        var error = await Assert.ThrowsAsync<KafkaException>(() => KafkaConnection.ConnectAsync(
            broker.Address, -1, Options(new PlainMechanism("alice", "wrong-pass")), CancellationToken.None).AsTask());
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, error.Error);
        Assert.Contains("Invalid username or password", error.Message, StringComparison.Ordinal);
        Assert.Contains("PLAIN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pass", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_without_kip_152_is_refused_clearly()
    {
        await using var broker = new FakeBroker();
        broker.VersionOverrides[ApiKey.SaslHandshake] = (0, 0);
        var error = await Assert.ThrowsAsync<KafkaException>(() => KafkaConnection.ConnectAsync(
            broker.Address, -1, Options(new PlainMechanism("a", "b")), CancellationToken.None).AsTask());
        Assert.Equal(ErrorCode.LocalAuthentication, error.Error);
        Assert.Contains("KIP-152", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reauthenticates_before_each_session_ends_without_interleaving_other_requests()
    {
        await using var broker = new FakeBroker();
        broker.Handler = r => r.ApiKey switch
        {
            ApiKey.SaslHandshake => new FakeReply.Message(new SaslHandshakeResponse { Mechanisms = ["PLAIN"] }),
            ApiKey.SaslAuthenticate => new FakeReply.Message(new SaslAuthenticateResponse { SessionLifetimeMs = 400 }),
            ApiKey.Metadata => new FakeReply.Delay(TimeSpan.FromMilliseconds(20), new FakeReply.Message(Metadata(broker))),
            _ => null,
        };

        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options(new PlainMechanism("alice", "pw")), CancellationToken.None);
        Assert.Equal(TimeSpan.FromMilliseconds(400), connection.SessionLifetime);
        int completed = 0;
        var stop = DateTime.UtcNow.AddSeconds(2);
        async Task Loop()
        {
            while (DateTime.UtcNow < stop)
            {
                await connection.SendAsync<MetadataRequest, MetadataResponse>(new MetadataRequest(), CancellationToken.None);
                Interlocked.Increment(ref completed);
            }
        }

        await Task.WhenAll(Loop(), Loop(), Loop());
        string state = $"{connection.Reauthentications} re-authentications, {completed} requests, closed: {connection.CloseReason?.Message}";
        Assert.True(connection.IsConnected, state);
        Assert.True(connection.Reauthentications is >= 2 and <= 12, state); // every 200 ms (half of a session shorter than the 1 s leeway) over 2 s, timers permitting
        Assert.True(completed > 20, state);
        Assert.Equal(1, broker.ConnectionCount);

        // Each re-authentication is a handshake immediately followed by its SaslAuthenticate.
        FakeRequest[] received = [.. broker.Received];
        for (int i = 0; i < received.Length; i++)
        {
            if (received[i].ApiKey == ApiKey.SaslHandshake)
            {
                Assert.Equal(ApiKey.SaslAuthenticate, received[i + 1].ApiKey);
            }
        }
    }

    [Fact]
    public async Task A_failed_reauthentication_closes_the_connection_with_the_brokers_reason()
    {
        await using var broker = new FakeBroker();
        int authentications = 0;
        broker.Handler = r => r.ApiKey switch
        {
            ApiKey.SaslHandshake => new FakeReply.Message(new SaslHandshakeResponse { Mechanisms = ["PLAIN"] }),
            ApiKey.SaslAuthenticate => Interlocked.Increment(ref authentications) == 1
                ? new FakeReply.Message(new SaslAuthenticateResponse { SessionLifetimeMs = 300 })
                : new FakeReply.Message(new SaslAuthenticateResponse { ErrorCode = (short)ErrorCode.SaslAuthenticationFailed, ErrorMessage = "credentials revoked" }),
            _ => null,
        };

        await using KafkaConnection connection = await KafkaConnection.ConnectAsync(broker.Address, -1, Options(new PlainMechanism("alice", "pw")), CancellationToken.None);
        var closed = new TaskCompletionSource<Exception>();
        connection.Closed += (_, reason) => closed.TrySetResult(reason);
        Exception reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var kafka = Assert.IsType<KafkaException>(reason);
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, kafka.Error);
        Assert.Contains("credentials revoked", kafka.Message, StringComparison.Ordinal);
    }
}
