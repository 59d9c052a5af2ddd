using System.Text;

namespace Samsa.Network.Security;

/// <summary>SASL PLAIN (RFC 4616): "\0user\0password" in one message. Send it only over TLS.</summary>
internal sealed class PlainMechanism : ISaslMechanism
{
    private readonly byte[] _message;

    public PlainMechanism(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        if (username.Contains('\0', StringComparison.Ordinal))
        {
            throw new ConfigException("sasl.username", username, "sasl.username must not contain a NUL character (PLAIN separates fields with it).");
        }

        if (password.Contains('\0', StringComparison.Ordinal))
        {
            throw new ConfigException("sasl.password", ConfigErrors.Redacted, "sasl.password must not contain a NUL character (PLAIN separates fields with it).");
        }

        // Sent as given, as Kafka's PLAIN server compares it (no SASLprep on either side).
        int userBytes = Encoding.UTF8.GetByteCount(username);
        _message = new byte[2 + userBytes + Encoding.UTF8.GetByteCount(password)];
        Encoding.UTF8.GetBytes(username, _message.AsSpan(1));
        Encoding.UTF8.GetBytes(password, _message.AsSpan(2 + userBytes));
    }

    public string Name => "PLAIN";

    public SaslSession CreateSession() => new Session(_message);

    public override string ToString() => "PLAIN";

    private sealed class Session(byte[] message) : SaslSession
    {
        public override ValueTask<byte[]> StartAsync(CancellationToken cancellationToken) => ValueTask.FromResult(message);

        public override byte[]? Next(ReadOnlySpan<byte> challenge) => null;
    }
}
