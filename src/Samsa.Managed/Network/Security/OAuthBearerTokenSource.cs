namespace Samsa.Network.Security;

/// <summary>
/// The OAUTHBEARER tokens of one client: the provider's (or the unsecured JWT's) last token, reused by every
/// connection until 80% of its lifetime has passed, then fetched again; fetches never overlap.
/// </summary>
internal sealed class OAuthBearerTokenSource : IDisposable
{
    private readonly Func<CancellationToken, ValueTask<OAuthBearerToken>> _provider;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Cached? _cached;
    private int _fetches;

    public OAuthBearerTokenSource(Func<CancellationToken, ValueTask<OAuthBearerToken>> provider, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A token source of unsecured JWTs (sasl.oauthbearer.config).</summary>
    public static OAuthBearerTokenSource Unsecured(UnsecuredJwt jwt, TimeProvider? time = null)
    {
        TimeProvider clock = time ?? TimeProvider.System;
        return new OAuthBearerTokenSource(_ => ValueTask.FromResult(jwt.CreateToken(clock.GetUtcNow())), clock);
    }

    /// <summary>How many times the provider was called.</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>A token valid now: the cached one while it is fresh, else a new one from the provider.</summary>
    /// <exception cref="KafkaException">LocalAuthentication: the provider failed or returned an unusable token.</exception>
    public async ValueTask<OAuthBearerToken> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } other)
            {
                return other;
            }

            OAuthBearerToken token;
            DateTimeOffset now = _time.GetUtcNow();
            Interlocked.Increment(ref _fetches);
            try
            {
                token = await _provider(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or KafkaException))
            {
                throw new KafkaException(ErrorCode.LocalAuthentication, $"The OAUTHBEARER token provider failed: {ex.Message}", ex);
            }

            if (token is null || string.IsNullOrEmpty(token.TokenValue))
            {
                throw new KafkaException(ErrorCode.LocalAuthentication, "The OAUTHBEARER token provider returned no token.");
            }

            foreach (char c in token.TokenValue)
            {
                // RFC 6750 b64token characters; anything else would corrupt the SASL message.
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '='))
                {
                    throw new KafkaException(ErrorCode.LocalAuthentication,
                        $"The OAUTHBEARER token has a character tokens may not hold (U+{(int)c:X4}; RFC 6750 b64token).");
                }
            }

            if (token.Expiration <= now)
            {
                throw new KafkaException(ErrorCode.LocalAuthentication,
                    $"The OAUTHBEARER token provider returned a token that expired at {token.Expiration:O}.");
            }

            Volatile.Write(ref _cached, new Cached(token, now + ((token.Expiration - now) * 0.8)));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private OAuthBearerToken? Fresh()
    {
        Cached? cached = Volatile.Read(ref _cached);
        return cached is not null && _time.GetUtcNow() < cached.RefreshAt ? cached.Token : null;
    }

    private sealed record Cached(OAuthBearerToken Token, DateTimeOffset RefreshAt);

    public void Dispose() => _gate.Dispose();
}
