using System.Text;

namespace Samsa;

/// <summary>
/// An OAUTHBEARER token (KIP-255), as a token provider returns it: the token itself, when it expires, and
/// optionally the principal it names and SASL extensions (KIP-342) to send with it.
/// </summary>
/// <remarks>The token is a secret: <see cref="ToString"/> never shows it.</remarks>
/// <param name="TokenValue">The bearer token (for example a JWT), sent as "auth=Bearer &lt;token&gt;".</param>
/// <param name="Expiration">When the token stops being valid. The client asks for a new token at 80% of its
/// lifetime, and re-authenticates its connections before the broker's session lifetime (KIP-368) ends.</param>
/// <param name="PrincipalName">The principal the token names (informational; the broker decides).</param>
/// <param name="Extensions">SASL extensions (KIP-342): names of letters only, values of printable ASCII.</param>
public sealed record OAuthBearerToken(
    string TokenValue,
    DateTimeOffset Expiration,
    string? PrincipalName = null,
    IReadOnlyDictionary<string, string>? Extensions = null)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("TokenValue = [redacted], Expiration = ").Append(Expiration.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        if (PrincipalName is not null)
        {
            builder.Append(", PrincipalName = ").Append(PrincipalName);
        }

        if (Extensions is { Count: > 0 })
        {
            builder.Append(", Extensions = [").Append(string.Join(", ", Extensions.Keys)).Append(']');
        }

        return true;
    }
}
