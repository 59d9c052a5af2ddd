using System.Text;

namespace Samsa.Network.Security;

/// <summary>
/// OAUTHBEARER (RFC 7628, KIP-255, extensions KIP-342): one message, "n,,\x01auth=Bearer TOKEN\x01[k=v\x01]\x01".
/// A broker that refuses the token answers with an error JSON challenge; the client then sends "\x01" and the
/// broker fails the exchange (the JSON is kept for the error message).
/// </summary>
internal sealed class OAuthBearerMechanism(OAuthBearerTokenSource tokens) : ISaslMechanism
{
    public string Name => "OAUTHBEARER";

    public OAuthBearerTokenSource Tokens => tokens;

    public SaslSession CreateSession() => new Session(tokens);

    public override string ToString() => Name;

    /// <summary>Checks an extension (KIP-342: key of letters, value of printable ASCII, "auth" reserved).</summary>
    /// <exception cref="ConfigException">The extension is not acceptable.</exception>
    public static void CheckExtension(string key, string value)
    {
        bool keyOk = key.Length > 0 && key != "auth";
        foreach (char c in key)
        {
            keyOk &= char.IsAsciiLetter(c);
        }

        if (!keyOk)
        {
            throw new ConfigException("sasl.oauthbearer.config", ConfigErrors.Redacted,
                $"SASL extension name '{key}' is not acceptable: letters only, and not 'auth' (KIP-342).");
        }

        foreach (char c in value)
        {
            if (c is not ((>= '\x21' and <= '\x7E') or ' ' or '\t' or '\r' or '\n'))
            {
                throw new ConfigException("sasl.oauthbearer.config", ConfigErrors.Redacted,
                    $"The value of SASL extension '{key}' has a character outside printable ASCII (KIP-342).");
            }
        }
    }

    private sealed class Session(OAuthBearerTokenSource tokens) : SaslSession
    {
        private bool _sent;
        private string? _failure;

        public override string? FailureDetail => _failure;

        public override async ValueTask<byte[]> StartAsync(CancellationToken cancellationToken)
        {
            OAuthBearerToken token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
            var sb = new StringBuilder("n,,\u0001auth=Bearer ").Append(token.TokenValue).Append('\u0001');
            if (token.Extensions is { } extensions)
            {
                foreach (KeyValuePair<string, string> e in extensions)
                {
                    CheckExtension(e.Key, e.Value);
                    sb.Append(e.Key).Append('=').Append(e.Value).Append('\u0001');
                }
            }

            sb.Append('\u0001');
            _sent = true;
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        public override byte[]? Next(ReadOnlySpan<byte> challenge)
        {
            if (!_sent || challenge.IsEmpty || _failure is not null)
            {
                return null;
            }

            // RFC 7628 section 3.2.2: the server's error; answer with a lone kvsep so that it can fail the exchange.
            _failure = Encoding.UTF8.GetString(challenge);
            return [0x01];
        }
    }
}
