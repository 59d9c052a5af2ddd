namespace Samsa.TestSupport.SecureFront;

/// <summary>
/// The secured set-ups tests use, by security.protocol-like name: "ssl" (TLS), "mtls" (TLS with a client
/// certificate required), "sasl_plaintext" and "sasl_ssl" (every mechanism enabled). Client properties are
/// librdkafka names, which Samsa and Confluent.Kafka both take.
/// </summary>
public static class SecureSetups
{
    public const string User = "alice";
    public const string Password = "alice-secret";
    public const string OtherUser = "bob";
    public const string OtherPassword = "bob-secret";

    public static readonly IReadOnlyList<string> AllMechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"];

    public static readonly IReadOnlyList<string> Modes = ["ssl", "mtls", "sasl_plaintext", "sasl_ssl"];

    public static IReadOnlyDictionary<string, string> Users { get; } = new Dictionary<string, string>
    {
        [User] = Password,
        [OtherUser] = OtherPassword,
    };

    /// <summary>The front's options for a set-up.</summary>
    public static SecureFrontOptions Options(string mode, TestCertificates certificates, TimeSpan? sessionLifetime = null, IReadOnlyList<string>? mechanisms = null)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        bool tls = mode is "ssl" or "mtls" or "sasl_ssl";
        bool sasl = mode is "sasl_plaintext" or "sasl_ssl";
        if (!tls && !sasl)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected ssl, mtls, sasl_plaintext or sasl_ssl.");
        }

        return new SecureFrontOptions
        {
            ServerCertificate = tls ? certificates.Server : null,
            ClientCertificateCa = mode == "mtls" ? certificates.Ca : null,
            SaslMechanisms = sasl ? mechanisms ?? AllMechanisms : [],
            Users = Users,
            SessionLifetime = sessionLifetime,
        };
    }

    /// <summary>
    /// Client properties for a set-up: security.protocol, the CA (ca.pem from <see cref="TestCertificates.WriteTo"/>),
    /// the client certificate for mtls, and the mechanism's credentials (OAUTHBEARER: an unsecured JWT for the user).
    /// </summary>
    public static Dictionary<string, string> ClientProperties(string mode, TestCertificates certificates, string? mechanism = null,
        string user = User, string password = Password)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (mode)
        {
            case "ssl":
            case "mtls":
                p["security.protocol"] = "ssl";
                break;
            case "sasl_plaintext":
            case "sasl_ssl":
                p["security.protocol"] = mode;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected ssl, mtls, sasl_plaintext or sasl_ssl.");
        }

        if (mode is "ssl" or "mtls" or "sasl_ssl")
        {
            p["ssl.ca.location"] = certificates.PathOf("ca.pem");
        }

        if (mode == "mtls")
        {
            p["ssl.certificate.location"] = certificates.PathOf("client.pem");
            p["ssl.key.location"] = certificates.PathOf("client.key");
        }

        if (mode is "sasl_plaintext" or "sasl_ssl")
        {
            string m = mechanism ?? "SCRAM-SHA-512";
            p["sasl.mechanism"] = m;
            if (m == "OAUTHBEARER")
            {
                p["sasl.oauthbearer.config"] = $"principal={user} lifeSeconds=3600";
            }
            else
            {
                p["sasl.username"] = user;
                p["sasl.password"] = password;
            }
        }

        return p;
    }

    /// <summary>
    /// The same properties for librdkafka (Confluent.Kafka): its built-in unsecured-JWT handler must be enabled
    /// explicitly (enable.sasl.oauthbearer.unsecure.jwt), which Samsa does not need.
    /// </summary>
    public static Dictionary<string, string> ForLibrdkafka(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var copy = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        if (copy.TryGetValue("sasl.mechanism", out string? mechanism) && mechanism == "OAUTHBEARER")
        {
            copy["enable.sasl.oauthbearer.unsecure.jwt"] = "true";
        }

        return copy;
    }
}
