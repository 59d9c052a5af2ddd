using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Samsa.TestSupport.SecureFront;

/// <summary>One step of a server-side SASL exchange.</summary>
/// <param name="Challenge">Bytes for the SaslAuthenticate response (may be empty).</param>
/// <param name="Complete">True when the client is authenticated.</param>
/// <param name="Error">Set when authentication failed: the SaslAuthenticate error message.</param>
/// <param name="Principal">The authenticated principal.</param>
/// <param name="CredentialExpires">When the credential (an OAUTHBEARER token) expires, if it does.</param>
public sealed record SaslStep(byte[] Challenge, bool Complete, string? Error, string? Principal = null, DateTimeOffset? CredentialExpires = null)
{
    /// <summary>SASL extensions the client sent (OAUTHBEARER, KIP-342).</summary>
    public IReadOnlyDictionary<string, string>? Extensions { get; init; }

    public static SaslStep Fail(string error) => new([], false, error);

    public static SaslStep Continue(byte[] challenge) => new(challenge, false, null);
}

/// <summary>The server side of one SASL exchange (the front's own implementation, independent of the client's).</summary>
public abstract class SaslServerSession
{
    public abstract SaslStep Step(byte[] message);

    public static SaslServerSession Create(string mechanism, SaslCredentialStore store, SecureFrontOptions options) => mechanism switch
    {
        "PLAIN" => new PlainServer(store),
        "SCRAM-SHA-256" or "SCRAM-SHA-512" => new ScramServer(mechanism, store),
        "OAUTHBEARER" => new OAuthBearerServer(options.PrincipalClaim),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "Unknown SASL mechanism."),
    };

    private sealed class PlainServer(SaslCredentialStore store) : SaslServerSession
    {
        public override SaslStep Step(byte[] message)
        {
            string[] parts = Encoding.UTF8.GetString(message).Split('\0');
            if (parts.Length != 3)
            {
                return SaslStep.Fail("Invalid SASL/PLAIN message: expected authzid NUL user NUL password");
            }

            if (!store.CheckPassword(parts[1], parts[2]))
            {
                return SaslStep.Fail("Authentication failed: Invalid username or password");
            }

            return new SaslStep([], true, null, parts[1]);
        }
    }

    /// <summary>RFC 5802 server: client-first → server-first → client-final (proof checked) → server-final.</summary>
    private sealed class ScramServer(string mechanism, SaslCredentialStore store) : SaslServerSession
    {
        private readonly HashAlgorithmName _hash = mechanism == "SCRAM-SHA-256" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;
        private string? _gs2Header;
        private string? _clientFirstBare;
        private string? _serverFirst;
        private string? _nonce;
        private string? _user;
        private ScramCredential? _credential;

        private string InvalidCredentials => $"Authentication failed during authentication due to invalid credentials with SASL mechanism {mechanism}";

        public override SaslStep Step(byte[] message)
        {
            string text = Encoding.UTF8.GetString(message);
            return _serverFirst is null ? First(text) : Final(text);
        }

        private SaslStep First(string text)
        {
            // gs2-header: "n," or "y," then an optional "a=authzid", then ",".
            int firstComma = text.IndexOf(',', StringComparison.Ordinal);
            int secondComma = firstComma < 0 ? -1 : text.IndexOf(',', firstComma + 1);
            if (firstComma != 1 || secondComma < 0 || text[0] is not ('n' or 'y'))
            {
                return SaslStep.Fail($"Invalid {mechanism} client-first-message: bad GS2 header");
            }

            _gs2Header = text[..(secondComma + 1)];
            _clientFirstBare = text[(secondComma + 1)..];
            Dictionary<char, string> attributes = Attributes(_clientFirstBare);
            if (!attributes.TryGetValue('n', out string? name) || !attributes.TryGetValue('r', out string? clientNonce) || clientNonce.Length == 0)
            {
                return SaslStep.Fail($"Invalid {mechanism} client-first-message: n= and r= are required");
            }

            _user = name.Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            _credential = store.Scram(_user, mechanism);
            if (_credential is null)
            {
                return SaslStep.Fail(InvalidCredentials);
            }

            _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
            _serverFirst = string.Create(CultureInfo.InvariantCulture,
                $"r={_nonce},s={Convert.ToBase64String(_credential.Salt)},i={_credential.Iterations}");
            return SaslStep.Continue(Encoding.UTF8.GetBytes(_serverFirst));
        }

        private SaslStep Final(string text)
        {
            int proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
            if (proofAt < 0)
            {
                return SaslStep.Fail($"Invalid {mechanism} client-final-message: no proof");
            }

            string withoutProof = text[..proofAt];
            Dictionary<char, string> attributes = Attributes(withoutProof);
            string expectedBinding = Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header!));
            if (!attributes.TryGetValue('c', out string? binding) || binding != expectedBinding)
            {
                return SaslStep.Fail($"Invalid {mechanism} client-final-message: channel binding does not match the GS2 header");
            }

            if (!attributes.TryGetValue('r', out string? nonce) || nonce != _nonce)
            {
                return SaslStep.Fail($"Invalid {mechanism} client-final-message: nonce mismatch");
            }

            byte[] proof;
            try
            {
                proof = Convert.FromBase64String(text[(proofAt + 3)..]);
            }
            catch (FormatException)
            {
                return SaslStep.Fail($"Invalid {mechanism} client-final-message: proof is not base64");
            }

            byte[] authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
            using IncrementalHash clientHmac = IncrementalHash.CreateHMAC(_hash, _credential!.StoredKey);
            clientHmac.AppendData(authMessage);
            byte[] clientSignature = clientHmac.GetHashAndReset();
            if (proof.Length != clientSignature.Length)
            {
                return SaslStep.Fail(InvalidCredentials);
            }

            byte[] clientKey = new byte[proof.Length];
            for (int i = 0; i < proof.Length; i++)
            {
                clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
            }

            using IncrementalHash digest = IncrementalHash.CreateHash(_hash);
            digest.AppendData(clientKey);
            if (!CryptographicOperations.FixedTimeEquals(digest.GetHashAndReset(), _credential.StoredKey))
            {
                return SaslStep.Fail(InvalidCredentials);
            }

            using IncrementalHash serverHmac = IncrementalHash.CreateHMAC(_hash, _credential.ServerKey);
            serverHmac.AppendData(authMessage);
            byte[] serverFinal = Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverHmac.GetHashAndReset()));
            return new SaslStep(serverFinal, true, null, _user);
        }

        private static Dictionary<char, string> Attributes(string message)
        {
            var attributes = new Dictionary<char, string>();
            foreach (string part in message.Split(','))
            {
                if (part.Length >= 2 && part[1] == '=')
                {
                    attributes.TryAdd(part[0], part[2..]);
                }
            }

            return attributes;
        }
    }

    /// <summary>
    /// OAUTHBEARER server accepting unsecured JWTs (alg none): the principal claim must be there and "exp" in the
    /// future. A refused token gets the RFC 7628 error challenge; the client's "\x01" then ends in failure.
    /// </summary>
    private sealed class OAuthBearerServer(string principalClaim) : SaslServerSession
    {
        private string? _pendingError;

        public override SaslStep Step(byte[] message)
        {
            if (_pendingError is not null)
            {
                return SaslStep.Fail(_pendingError);
            }

            string text = Encoding.UTF8.GetString(message);
            if (!text.StartsWith("n,", StringComparison.Ordinal) || !text.EndsWith("\u0001\u0001", StringComparison.Ordinal))
            {
                return SaslStep.Fail("Invalid OAUTHBEARER client-first-message");
            }

            int kvStart = text.IndexOf('\u0001', StringComparison.Ordinal);
            string? token = null;
            var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string kv in text[(kvStart + 1)..^2].Split('\u0001'))
            {
                int eq = kv.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    return SaslStep.Fail("Invalid OAUTHBEARER client-first-message: key=value expected");
                }

                string key = kv[..eq];
                string value = kv[(eq + 1)..];
                if (key == "auth")
                {
                    if (!value.StartsWith("Bearer ", StringComparison.Ordinal))
                    {
                        return SaslStep.Fail("Invalid OAUTHBEARER client-first-message: auth must be 'Bearer <token>'");
                    }

                    token = value["Bearer ".Length..];
                }
                else
                {
                    extensions[key] = value;
                }
            }

            if (token is null)
            {
                return SaslStep.Fail("Invalid OAUTHBEARER client-first-message: no auth=Bearer");
            }

            string? problem = Validate(token, out string? principal, out DateTimeOffset expires);
            if (problem is not null)
            {
                _pendingError = $"Authentication failed: {problem}";
                return SaslStep.Continue("{\"status\":\"invalid_token\"}"u8.ToArray());
            }

            return new SaslStep([], true, null, principal, expires) { Extensions = extensions };
        }

        private string? Validate(string token, out string? principal, out DateTimeOffset expires)
        {
            principal = null;
            expires = default;
            string[] parts = token.Split('.');
            if (parts.Length != 3)
            {
                return "the token is not a JWS (three dot-separated parts)";
            }

            try
            {
                using JsonDocument header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
                if (!header.RootElement.TryGetProperty("alg", out JsonElement alg) || alg.GetString() != "none")
                {
                    return "only unsecured JWTs (alg none) are accepted here";
                }

                using JsonDocument payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
                if (!payload.RootElement.TryGetProperty(principalClaim, out JsonElement sub) || sub.ValueKind != JsonValueKind.String)
                {
                    return $"the token has no '{principalClaim}' claim";
                }

                if (!payload.RootElement.TryGetProperty("exp", out JsonElement exp) || exp.ValueKind != JsonValueKind.Number)
                {
                    return "the token has no 'exp' claim";
                }

                expires = DateTimeOffset.FromUnixTimeMilliseconds((long)(exp.GetDouble() * 1000));
                if (expires <= DateTimeOffset.UtcNow)
                {
                    return $"the token expired at {expires:O}";
                }

                principal = sub.GetString();
                return null;
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                return $"the token does not parse: {e.Message}";
            }
        }

        private static byte[] Base64UrlDecode(string text)
        {
            string s = text.Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            return Convert.FromBase64String(s);
        }
    }
}
