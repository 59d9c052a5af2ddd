using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.TestSupport.SecureFront;

/// <summary>The server side of SaslHandshake and SaslAuthenticate, with KIP-368 session lifetimes.</summary>
internal sealed partial class FrontConnection
{
    private (IKafkaMessage Response, bool Close) Handshake(SaslHandshakeRequest request)
    {
        var enabled = Options.SaslMechanisms.ToList();
        if (!enabled.Contains(request.Mechanism))
        {
            _front.RecordFailure($"SASL mechanism {request.Mechanism} is not enabled ({string.Join(", ", enabled)})");
            return (new SaslHandshakeResponse { ErrorCode = (short)ErrorCode.UnsupportedSaslMechanism, Mechanisms = enabled }, true);
        }

        if (_authenticated && request.Mechanism != _mechanism)
        {
            _front.RecordFailure($"re-authentication with {request.Mechanism} on a {_mechanism} session");
            return (new SaslHandshakeResponse { ErrorCode = (short)ErrorCode.IllegalSaslState, Mechanisms = enabled }, true);
        }

        _reauthenticating = _authenticated;
        _mechanism = request.Mechanism;
        _sasl = SaslServerSession.Create(request.Mechanism, _front.Credentials, Options);
        return (new SaslHandshakeResponse { ErrorCode = 0, Mechanisms = enabled }, false);
    }

    private (IKafkaMessage Response, bool Close) Authenticate(SaslAuthenticateRequest request, short version)
    {
        if (_sasl is null)
        {
            _front.RecordFailure("SaslAuthenticate without SaslHandshake");
            return (new SaslAuthenticateResponse { ErrorCode = (short)ErrorCode.IllegalSaslState, ErrorMessage = "SaslAuthenticate before SaslHandshake" }, true);
        }

        SaslStep step = _sasl.Step(request.AuthBytes);
        if (step.Error is { } error)
        {
            _front.RecordFailure($"{_mechanism}: {error}");
            _sasl = null;
            return (new SaslAuthenticateResponse { ErrorCode = (short)ErrorCode.SaslAuthenticationFailed, ErrorMessage = error }, true);
        }

        if (!step.Complete)
        {
            return (new SaslAuthenticateResponse { AuthBytes = step.Challenge }, false);
        }

        _sasl = null;
        if (_reauthenticating && step.Principal != _principal)
        {
            string message = $"Cannot change principals during re-authentication from {_principal} to {step.Principal}";
            _front.RecordFailure(message);
            return (new SaslAuthenticateResponse { ErrorCode = (short)ErrorCode.SaslAuthenticationFailed, ErrorMessage = message }, true);
        }

        long lifetime = 0;
        if (Options.SessionLifetime is { } maximum)
        {
            lifetime = (long)maximum.TotalMilliseconds;
            if (step.CredentialExpires is { } expires)
            {
                lifetime = Math.Min(lifetime, (long)(expires - DateTimeOffset.UtcNow).TotalMilliseconds);
            }

            lifetime = Math.Max(lifetime, 1);
        }

        _authenticated = true;
        _principal = step.Principal ?? "?";
        _expiresAt = lifetime > 0 ? Environment.TickCount64 + lifetime : long.MaxValue;
        if (step.Extensions is { } extensions)
        {
            _front.LastExtensions = extensions;
        }

        _front.RecordAuthenticated(_principal, _reauthenticating);
        _reauthenticating = false;
        return (new SaslAuthenticateResponse { AuthBytes = step.Challenge, SessionLifetimeMs = version >= 1 ? lifetime : 0 }, false);
    }
}
