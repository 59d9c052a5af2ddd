using System.Text;
using System.Text.Json;
using Samsa.Network.Security;

namespace Samsa.Tests.Security;

public sealed class OAuthBearerTests
{
    [Fact]
    public void The_unsecured_jwt_is_an_unsigned_jws_naming_the_principal_with_iat_and_exp()
    {
        UnsecuredJwt jwt = UnsecuredJwt.Parse("principal=alice lifeSeconds=600 scope=read,write extension_traceId=abc");
        var now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        OAuthBearerToken token = jwt.CreateToken(now);

        string[] parts = token.TokenValue.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal(string.Empty, parts[2]);
        Assert.Equal("{\"alg\":\"none\"}", Encoding.UTF8.GetString(FromBase64Url(parts[0])));
        using JsonDocument payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        Assert.Equal("alice", payload.RootElement.GetProperty("sub").GetString());
        Assert.Equal(now.ToUnixTimeSeconds(), (long)payload.RootElement.GetProperty("iat").GetDouble());
        Assert.Equal(now.ToUnixTimeSeconds() + 600, (long)payload.RootElement.GetProperty("exp").GetDouble());
        Assert.Equal(new[] { "read", "write" }, payload.RootElement.GetProperty("scope").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(now.AddSeconds(600), token.Expiration);
        Assert.Equal("alice", token.PrincipalName);
        Assert.Equal("abc", token.Extensions!["traceId"]);
    }

    [Theory]
    [InlineData("lifeSeconds=60", "principal=NAME is required")]
    [InlineData("principal=a lifeSeconds=soon", "whole number of seconds")]
    [InlineData("principal=a colour=blue", "unknown setting 'colour'")]
    [InlineData("principal=a nonsense", "name=value")]
    [InlineData("principal=a extension_auth=x", "not 'auth'")]
    public void A_bad_sasl_oauthbearer_config_is_a_config_error_that_does_not_repeat_it(string config, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => UnsecuredJwt.Parse(config));
        Assert.Equal("sasl.oauthbearer.config", error.Property);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("[redacted]", error.Value);
    }

    [Fact]
    public async Task The_client_message_carries_the_token_and_extensions_and_answers_an_error_challenge_with_kvsep()
    {
        var token = new OAuthBearerToken("eyJ.abc.", DateTimeOffset.UtcNow.AddHours(1), "alice", new Dictionary<string, string> { ["traceId"] = "42" });
        var mechanism = new OAuthBearerMechanism(new OAuthBearerTokenSource(_ => ValueTask.FromResult(token)));
        SaslSession session = mechanism.CreateSession();
        byte[] first = await session.StartAsync(CancellationToken.None);
        Assert.Equal("n,,\u0001auth=Bearer eyJ.abc.\u0001traceId=42\u0001\u0001", Encoding.UTF8.GetString(first));
        Assert.Null(mechanism.CreateSession().Next([]));

        Assert.Equal(new byte[] { 0x01 }, session.Next("{\"status\":\"invalid_token\"}"u8));
        Assert.Equal("{\"status\":\"invalid_token\"}", session.FailureDetail);
        Assert.Null(session.Next([]));
    }

    [Fact]
    public async Task Tokens_are_reused_until_80_percent_of_their_lifetime_then_fetched_again()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        int calls = 0;
        var source = new OAuthBearerTokenSource(_ =>
        {
            calls++;
            return ValueTask.FromResult(new OAuthBearerToken("t" + calls, clock.GetUtcNow().AddSeconds(100)));
        }, clock);

        Assert.Equal("t1", (await source.GetAsync(CancellationToken.None)).TokenValue);
        clock.Advance(TimeSpan.FromSeconds(79));
        Assert.Equal("t1", (await source.GetAsync(CancellationToken.None)).TokenValue);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("t2", (await source.GetAsync(CancellationToken.None)).TokenValue);
        Assert.Equal(2, source.Fetches);
    }

    [Fact]
    public async Task Concurrent_requests_share_one_fetch()
    {
        var release = new TaskCompletionSource<OAuthBearerToken>();
        int calls = 0;
        var source = new OAuthBearerTokenSource(_ =>
        {
            Interlocked.Increment(ref calls);
            return new ValueTask<OAuthBearerToken>(release.Task);
        });
        Task<OAuthBearerToken>[] waiting = [.. Enumerable.Range(0, 5).Select(_ => source.GetAsync(CancellationToken.None).AsTask())];
        await Task.Delay(50);
        release.SetResult(new OAuthBearerToken("shared", DateTimeOffset.UtcNow.AddHours(1)));
        OAuthBearerToken[] tokens = await Task.WhenAll(waiting);
        Assert.All(tokens, t => Assert.Equal("shared", t.TokenValue));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_provider_failure_or_an_unusable_token_is_an_authentication_error()
    {
        var failing = new OAuthBearerTokenSource(_ => throw new InvalidOperationException("identity provider down"));
        var error = await Assert.ThrowsAsync<KafkaException>(() => failing.GetAsync(CancellationToken.None).AsTask());
        Assert.Equal(ErrorCode.LocalAuthentication, error.Error);
        Assert.Contains("identity provider down", error.Message, StringComparison.Ordinal);

        var expired = new OAuthBearerTokenSource(_ => ValueTask.FromResult(new OAuthBearerToken("x", DateTimeOffset.UtcNow.AddSeconds(-1))));
        Assert.Contains("expired", (await Assert.ThrowsAsync<KafkaException>(() => expired.GetAsync(CancellationToken.None).AsTask())).Message, StringComparison.Ordinal);

        var spaced = new OAuthBearerTokenSource(_ => ValueTask.FromResult(new OAuthBearerToken("a b", DateTimeOffset.UtcNow.AddHours(1))));
        Assert.Contains("U+0020", (await Assert.ThrowsAsync<KafkaException>(() => spaced.GetAsync(CancellationToken.None).AsTask())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_never_shows_its_value()
    {
        var token = new OAuthBearerToken("super-secret-token", DateTimeOffset.UnixEpoch, "alice");
        Assert.DoesNotContain("super-secret-token", token.ToString(), StringComparison.Ordinal);
        Assert.Contains("alice", token.ToString(), StringComparison.Ordinal);
    }

    private static byte[] FromBase64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
