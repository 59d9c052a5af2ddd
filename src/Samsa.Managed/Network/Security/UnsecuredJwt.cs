using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Samsa.Network.Security;

/// <summary>
/// librdkafka's unsecured-JWT token source for OAUTHBEARER (for testing, never for production): the token is
/// an unsigned JWS ("alg":"none") built from sasl.oauthbearer.config, which holds space-separated name=value
/// settings: principal=NAME (required), principalClaimName=sub, scope=a,b (a list), scopeClaimName=scope,
/// lifeSeconds=3600 (alias lifetime), extension_NAME=VALUE (KIP-342 extensions).
/// </summary>
internal sealed class UnsecuredJwt
{
    private UnsecuredJwt(string principal, string principalClaim, string[] scope, string scopeClaim, int lifeSeconds, Dictionary<string, string> extensions)
    {
        Principal = principal;
        PrincipalClaim = principalClaim;
        Scope = scope;
        ScopeClaim = scopeClaim;
        LifeSeconds = lifeSeconds;
        Extensions = extensions;
    }

    public string Principal { get; }

    public string PrincipalClaim { get; }

    public IReadOnlyList<string> Scope { get; }

    public string ScopeClaim { get; }

    public int LifeSeconds { get; }

    public IReadOnlyDictionary<string, string> Extensions { get; }

    /// <summary>Parses sasl.oauthbearer.config; the exception never repeats the value (it is a secret).</summary>
    /// <exception cref="ConfigException">A setting is unknown, malformed or missing.</exception>
    public static UnsecuredJwt Parse(string config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? principal = null;
        string principalClaim = "sub";
        string[] scope = [];
        string scopeClaim = "scope";
        int life = 3600;
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in config.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Error("each setting must be name=value (principal=..., lifeSeconds=..., scope=..., extension_NAME=...)");
            }

            string name = part[..eq];
            string value = part[(eq + 1)..];
            switch (name)
            {
                case "principal":
                    principal = value;
                    break;
                case "principalClaimName":
                    principalClaim = value;
                    break;
                case "scope":
                    scope = value.Split(',', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "scopeClaimName":
                    scopeClaim = value;
                    break;
                case "lifeSeconds" or "lifetime":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out life) || life < 1)
                    {
                        throw Error($"{name} must be a whole number of seconds, at least 1");
                    }

                    break;
                default:
                    if (name.StartsWith("extension_", StringComparison.Ordinal) && name.Length > "extension_".Length)
                    {
                        string key = name["extension_".Length..];
                        OAuthBearerMechanism.CheckExtension(key, value);
                        extensions[key] = value;
                        break;
                    }

                    throw Error($"unknown setting '{name}' (expected principal, principalClaimName, scope, scopeClaimName, lifeSeconds or extension_NAME)");
            }
        }

        if (string.IsNullOrEmpty(principal))
        {
            throw Error("principal=NAME is required");
        }

        if (principalClaim.Length == 0 || scopeClaim.Length == 0)
        {
            throw Error("claim names must not be empty");
        }

        return new UnsecuredJwt(principal, principalClaim, scope, scopeClaim, life, extensions);
    }

    /// <summary>A fresh token, issued now and valid for <see cref="LifeSeconds"/>.</summary>
    public OAuthBearerToken CreateToken(DateTimeOffset now)
    {
        DateTimeOffset expires = now.AddSeconds(LifeSeconds);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(PrincipalClaim, Principal);
            json.WriteNumber("iat", now.ToUnixTimeMilliseconds() / 1000.0);
            json.WriteNumber("exp", expires.ToUnixTimeMilliseconds() / 1000.0);
            if (Scope.Count > 0)
            {
                json.WriteStartArray(ScopeClaim);
                foreach (string s in Scope)
                {
                    json.WriteStringValue(s);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        string token = Base64Url("{\"alg\":\"none\"}"u8) + "." + Base64Url(buffer.WrittenSpan) + ".";
        return new OAuthBearerToken(token, expires, Principal, Extensions.Count == 0 ? null : Extensions);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ConfigException Error(string reason) =>
        new("sasl.oauthbearer.config", ConfigErrors.Redacted, $"Invalid sasl.oauthbearer.config: {reason}.");

    public override string ToString() => new StringBuilder("UnsecuredJwt { principal = ").Append(Principal).Append(" }").ToString();
}
