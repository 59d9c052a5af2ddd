using System.Security.Cryptography;
using System.Text;

namespace Samsa.Network.Security;

/// <summary>
/// SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677), client side, without channel binding ("n,,"):
/// client-first, server-first, client-final with the proof, server-final whose signature is verified, so the
/// broker proves it knows the credential too. User name and password go through SASLprep first.
/// </summary>
internal sealed class ScramMechanism : ISaslMechanism
{
    /// <summary>More iterations than this is refused (a hostile server could make the client spin).</summary>
    internal const int MaxIterations = 1_000_000;

    private readonly HashAlgorithmName _hash;
    private readonly string _escapedUser;
    private readonly byte[] _password;
    private readonly Func<string> _nonce;
    private readonly Lock _cacheLock = new();
    private (byte[] Salt, int Iterations, byte[] Salted)? _cache;

    /// <param name="nonce">Makes the client nonce (tests pass a fixed one to replay RFC vectors).</param>
    public ScramMechanism(HashAlgorithmName hash, string username, string password, Func<string>? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        if (hash != HashAlgorithmName.SHA256 && hash != HashAlgorithmName.SHA512)
        {
            throw new ArgumentOutOfRangeException(nameof(hash), hash, "SCRAM is implemented with SHA-256 and SHA-512.");
        }

        _hash = hash;
        Name = hash == HashAlgorithmName.SHA256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512";
        _escapedUser = SaslName(SaslPrep.Prepare(username, "sasl.username", secret: false));
        _password = Encoding.UTF8.GetBytes(SaslPrep.Prepare(password, "sasl.password", secret: true));
        _nonce = nonce ?? NewNonce;
    }

    public string Name { get; }

    public SaslSession CreateSession() => new Session(this, _nonce());

    public override string ToString() => Name;

    /// <summary>24 random bytes in base64: printable, never ','.</summary>
    private static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>RFC 5802 saslname: ',' and '=' are escaped.</summary>
    private static string SaslName(string user) => user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    /// <summary>Hi(password, salt, i): PBKDF2 with the mechanism's HMAC; the last result is kept (each broker sends the same salt).</summary>
    private byte[] SaltedPassword(byte[] salt, int iterations)
    {
        lock (_cacheLock)
        {
            if (_cache is { } c && c.Iterations == iterations && c.Salt.AsSpan().SequenceEqual(salt))
            {
                return c.Salted;
            }
        }

        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(_password, salt, iterations, _hash, HashLength);
        lock (_cacheLock)
        {
            _cache = (salt, iterations, salted);
        }

        return salted;
    }

    private int HashLength => _hash == HashAlgorithmName.SHA256 ? 32 : 64;

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) =>
        _hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA512.HashData(key, data);

    private byte[] Hash(byte[] data) => _hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data) : SHA512.HashData(data);

    private sealed class Session(ScramMechanism mechanism, string clientNonce) : SaslSession
    {
        private string? _clientFirstBare;
        private byte[]? _expectedServerSignature;

        public override ValueTask<byte[]> StartAsync(CancellationToken cancellationToken)
        {
            _clientFirstBare = $"n={mechanism._escapedUser},r={clientNonce}";
            return ValueTask.FromResult(Encoding.UTF8.GetBytes("n,," + _clientFirstBare));
        }

        public override byte[]? Next(ReadOnlySpan<byte> challenge)
        {
            if (_clientFirstBare is null)
            {
                throw new InvalidOperationException("StartAsync first.");
            }

            return _expectedServerSignature is null ? ClientFinal(challenge) : VerifyServerFinal(challenge);
        }

        private byte[] ClientFinal(ReadOnlySpan<byte> serverFirstBytes)
        {
            string serverFirst = Decode(serverFirstBytes, "server-first-message");
            string? nonce = null;
            byte[]? salt = null;
            int? iterations = null;
            foreach (string attribute in serverFirst.Split(','))
            {
                if (attribute.Length < 2 || attribute[1] != '=')
                {
                    continue;
                }

                string value = attribute[2..];
                switch (attribute[0])
                {
                    case 'e':
                        throw Failure(ErrorCode.SaslAuthenticationFailed, $"the broker refused the {mechanism.Name} exchange: {value}");
                    case 'm':
                        throw Failure(ErrorCode.LocalAuthentication, $"the broker requires a SCRAM extension this client does not know (m={value})");
                    case 'r':
                        nonce = value;
                        break;
                    case 's':
                        try
                        {
                            salt = Convert.FromBase64String(value);
                        }
                        catch (FormatException)
                        {
                            throw Failure(ErrorCode.LocalAuthentication, "the broker's salt is not base64");
                        }

                        break;
                    case 'i':
                        iterations = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i : -1;

                        break;
                }
            }

            if (nonce is null || salt is null || iterations is not { } count)
            {
                throw Failure(ErrorCode.LocalAuthentication, "the broker's server-first-message lacks r=, s= or i=");
            }

            if (!nonce.StartsWith(clientNonce, StringComparison.Ordinal) || nonce.Length == clientNonce.Length)
            {
                throw Failure(ErrorCode.LocalAuthentication, "the broker's nonce does not extend the client's (replayed or forged exchange?)");
            }

            if (count < 1 || count > MaxIterations)
            {
                throw Failure(ErrorCode.LocalAuthentication, $"the broker asked for an iteration count outside 1..{MaxIterations}");
            }

            string withoutProof = "c=biws,r=" + nonce; // biws = base64("n,,"): no channel binding, no authzid
            byte[] authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);
            byte[] salted = mechanism.SaltedPassword(salt, count);
            byte[] clientKey = mechanism.Hmac(salted, "Client Key"u8);
            byte[] storedKey = mechanism.Hash(clientKey);
            byte[] signature = mechanism.Hmac(storedKey, authMessage);
            for (int i = 0; i < clientKey.Length; i++)
            {
                clientKey[i] ^= signature[i];
            }

            byte[] serverKey = mechanism.Hmac(salted, "Server Key"u8);
            _expectedServerSignature = mechanism.Hmac(serverKey, authMessage);
            return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(clientKey));
        }

        private byte[]? VerifyServerFinal(ReadOnlySpan<byte> serverFinalBytes)
        {
            string serverFinal = Decode(serverFinalBytes, "server-final-message");
            if (serverFinal.StartsWith("e=", StringComparison.Ordinal))
            {
                throw Failure(ErrorCode.SaslAuthenticationFailed, $"the broker refused the {mechanism.Name} proof: {serverFinal[2..]}");
            }

            int v = serverFinal.StartsWith("v=", StringComparison.Ordinal) ? 2 : -1;
            int end = v < 0 ? -1 : serverFinal.IndexOf(',', StringComparison.Ordinal);
            byte[]? signature = null;
            if (v > 0)
            {
                try
                {
                    signature = Convert.FromBase64String(end < 0 ? serverFinal[v..] : serverFinal[v..end]);
                }
                catch (FormatException)
                {
                }
            }

            if (signature is null || !CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
            {
                throw Failure(ErrorCode.LocalAuthentication,
                    "the broker's server signature does not verify: it does not know this user's credential (a man in the middle, or a broker of another cluster?)");
            }

            return null;
        }

        private KafkaException Failure(ErrorCode code, string reason) => new(code, $"{mechanism.Name} authentication failed: {reason}.");

        private string Decode(ReadOnlySpan<byte> bytes, string what)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Failure(ErrorCode.LocalAuthentication, $"the broker's {what} is not UTF-8");
            }
        }
    }
}
