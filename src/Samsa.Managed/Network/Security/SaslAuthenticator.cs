using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Network.Security;

/// <summary>
/// SASL over the Kafka protocol (KIP-43, KIP-152): SaslHandshake v1 names the mechanism, then the mechanism's
/// messages travel in SaslAuthenticate requests. The last response's SessionLifetimeMs (KIP-368) tells how long
/// the session may live; the connection re-authenticates before then. The same exchange re-authenticates.
/// </summary>
internal sealed class SaslAuthenticator(ISaslMechanism mechanism) : IConnectionAuthenticator
{
    public ISaslMechanism Mechanism => mechanism;

    public async ValueTask<TimeSpan?> AuthenticateAsync(KafkaConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        BrokerApiVersions versions = connection.ApiVersions;
        if (versions.Negotiated(ApiKey.SaslHandshake) < 1 || !versions.Supports(ApiKey.SaslAuthenticate))
        {
            throw new KafkaException(ErrorCode.LocalAuthentication,
                $"Broker {connection.Name} does not offer SASL through SaslHandshake v1 and SaslAuthenticate (KIP-152, Kafka 1.0 and later): " +
                $"it advertises SaslHandshake {versions.Broker(ApiKey.SaslHandshake)}, SaslAuthenticate {versions.Broker(ApiKey.SaslAuthenticate)}. " +
                "Is this a SASL listener (security.protocol)?");
        }

        SaslHandshakeResponse handshake = await connection.SendAsync<SaslHandshakeRequest, SaslHandshakeResponse>(
            new SaslHandshakeRequest { Mechanism = mechanism.Name }, cancellationToken).ConfigureAwait(false);
        var handshakeError = (ErrorCode)handshake.ErrorCode;
        if (handshakeError == ErrorCode.UnsupportedSaslMechanism)
        {
            string enabled = handshake.Mechanisms.Count == 0 ? "none" : string.Join(", ", handshake.Mechanisms);
            throw new KafkaException(ErrorCode.UnsupportedSaslMechanism,
                $"Broker {connection.Name} does not enable SASL mechanism {mechanism.Name} (sasl.mechanism); it enables: {enabled}.");
        }

        if (handshakeError != ErrorCode.None)
        {
            throw new KafkaException(handshakeError, $"Broker {connection.Name} refused SaslHandshake for {mechanism.Name}: {handshakeError.Describe()}");
        }

        SaslSession session = mechanism.CreateSession();
        byte[]? message = await session.StartAsync(cancellationToken).ConfigureAwait(false);
        long lifetimeMs = 0;
        for (int round = 0; message is not null; round++)
        {
            if (round > 8)
            {
                throw new KafkaException(ErrorCode.IllegalSaslState, $"The {mechanism.Name} exchange with broker {connection.Name} did not end after {round} rounds.");
            }

            SaslAuthenticateResponse response = await connection.SendAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(
                new SaslAuthenticateRequest { AuthBytes = message }, cancellationToken).ConfigureAwait(false);
            var error = (ErrorCode)response.ErrorCode;
            if (error != ErrorCode.None)
            {
                string reason = string.IsNullOrEmpty(response.ErrorMessage) ? error.Describe() : response.ErrorMessage;
                string detail = session.FailureDetail is { } d ? $" (the broker's challenge: {d})" : string.Empty;
                throw new KafkaException(error == ErrorCode.UnknownServerError ? ErrorCode.SaslAuthenticationFailed : error,
                    $"SASL {mechanism.Name} authentication with broker {connection.Name} failed: {reason}{detail}");
            }

            lifetimeMs = response.SessionLifetimeMs;
            try
            {
                message = session.Next(response.AuthBytes);
            }
            catch (KafkaException ex)
            {
                throw new KafkaException(ex.Error, $"SASL with broker {connection.Name}: {ex.Reason}", ex);
            }
        }

        if (session.FailureDetail is { } failure)
        {
            // The broker should have failed the exchange after its error challenge; it did not.
            throw new KafkaException(ErrorCode.SaslAuthenticationFailed,
                $"SASL {mechanism.Name} authentication with broker {connection.Name} failed: {failure}");
        }

        return lifetimeMs > 0 ? TimeSpan.FromMilliseconds(lifetimeMs) : null;
    }
}
