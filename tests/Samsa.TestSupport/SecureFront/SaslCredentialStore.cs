using System.Security.Cryptography;
using System.Text;

namespace Samsa.TestSupport.SecureFront;

/// <summary>A SCRAM credential as a broker stores it (RFC 5802): salt, iterations, StoredKey, ServerKey.</summary>
public sealed record ScramCredential(byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey);

/// <summary>The front's users: passwords for PLAIN, SCRAM credentials derived from them with a random salt each.</summary>
public sealed class SaslCredentialStore
{
    private readonly Dictionary<string, string> _passwords;
    private readonly Dictionary<(string User, string Mechanism), ScramCredential> _scram = [];

    public SaslCredentialStore(IReadOnlyDictionary<string, string> users, int iterations)
    {
        _passwords = new Dictionary<string, string>(users, StringComparer.Ordinal);
        foreach (var (user, password) in users)
        {
            _scram[(user, "SCRAM-SHA-256")] = Derive(password, HashAlgorithmName.SHA256, iterations);
            _scram[(user, "SCRAM-SHA-512")] = Derive(password, HashAlgorithmName.SHA512, iterations);
        }
    }

    public bool CheckPassword(string user, string password) =>
        _passwords.TryGetValue(user, out string? expected) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(password));

    public ScramCredential? Scram(string user, string mechanism) => _scram.GetValueOrDefault((user, mechanism));

    /// <summary>Derives the stored credential the way a broker does (no SASLprep: the test passwords are ASCII).</summary>
    public static ScramCredential Derive(string password, HashAlgorithmName hash, int iterations, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(16);
        int length = hash == HashAlgorithmName.SHA256 ? 32 : 64;
        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, hash, length);
        byte[] clientKey = HmacOf(hash, salted, "Client Key");
        using IncrementalHash digest = IncrementalHash.CreateHash(hash);
        digest.AppendData(clientKey);
        byte[] storedKey = digest.GetHashAndReset();
        return new ScramCredential(salt, iterations, storedKey, HmacOf(hash, salted, "Server Key"));
    }

    private static byte[] HmacOf(HashAlgorithmName hash, byte[] key, string text)
    {
        using IncrementalHash hmac = IncrementalHash.CreateHMAC(hash, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(text));
        return hmac.GetHashAndReset();
    }
}
