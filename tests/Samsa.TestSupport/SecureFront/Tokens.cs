using System.Globalization;
using System.Text;

namespace Samsa.TestSupport.SecureFront;

/// <summary>Unsecured JWTs (alg none) for OAUTHBEARER tests, made independently of the client's own helper.</summary>
public static class Tokens
{
    /// <summary>A token for <paramref name="principal"/> that expires after <paramref name="lifetime"/>.</summary>
    public static OAuthBearerToken Unsecured(string principal, TimeSpan lifetime, IReadOnlyDictionary<string, string>? extensions = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset expires = now + lifetime;
        return new OAuthBearerToken(Jwt(principal, now, expires), expires, principal, extensions);
    }

    /// <summary>A token whose JWT expired a minute ago, while the provider claims it is good for an hour.</summary>
    public static OAuthBearerToken ExpiredButClaimedValid(string principal)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new OAuthBearerToken(Jwt(principal, now.AddHours(-1), now.AddMinutes(-1)), now.AddHours(1), principal);
    }

    private static string Jwt(string principal, DateTimeOffset issued, DateTimeOffset expires)
    {
        string payload = string.Create(CultureInfo.InvariantCulture,
            $"{{\"sub\":\"{principal}\",\"iat\":{issued.ToUnixTimeSeconds()},\"exp\":{expires.ToUnixTimeMilliseconds() / 1000.0:0.000}}}");
        return Url("{\"alg\":\"none\"}") + "." + Url(payload) + ".";
    }

    private static string Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
