namespace Samsa;

/// <summary>The checks every client kind shares.</summary>
public abstract partial record ClientConfig
{
    private static readonly string[] SaslProperties = ["sasl.mechanism", "sasl.username", "sasl.password", "sasl.oauthbearer.config"];

    private static readonly string[] SslProperties =
    [
        "ssl.ca.location", "ssl.ca.pem", "ssl.certificate.location", "ssl.certificate.pem", "ssl.key.location",
        "ssl.key.pem", "ssl.key.password", "ssl.endpoint.identification.algorithm", "enable.ssl.certificate.verification",
    ];

    /// <summary>
    /// Checks every value (typed values never went through parsing) and the rules shared by all clients; throws
    /// <see cref="ConfigException"/>, or adds to <paramref name="warnings"/>.
    /// </summary>
    private protected void ValidateCommon(List<string> warnings)
    {
        foreach (ConfigProperty property in ConfigRegistry.All)
        {
            if (property.AppliesTo(Kind) && property.CheckCurrent(this) is { } reason)
            {
                throw ConfigErrors.OutOfRange(property, this, reason);
            }
        }

        if (BootstrapServers is null)
        {
            throw ConfigErrors.Rule(
                "bootstrap.servers",
                null,
                "bootstrap.servers is required: a comma-separated list of host:port brokers to connect to first.");
        }

        RequireAtLeast("retry.backoff.max.ms", RetryBackoffMax, "retry.backoff.ms", RetryBackoff);
        RequireAtLeast("reconnect.backoff.max.ms", ReconnectBackoffMax, "reconnect.backoff.ms", ReconnectBackoff);
        ValidateSecurity(warnings);
    }

    private protected static void AddWarning(List<string> warnings, string warning)
    {
        // Validate may run again on its own result; the same warning must not pile up.
        if (!warnings.Contains(warning))
        {
            warnings.Add(warning);
        }
    }

    /// <summary>The string form of the property <paramref name="name"/> (secrets redacted), or null when it is not set.</summary>
    private protected string? Shown(string name) => ConfigRegistry.Get(name).Display(this);

    private void RequireAtLeast(string name, TimeSpan value, string lowerName, TimeSpan lower)
    {
        if (value < lower)
        {
            throw ConfigErrors.Rule(
                name,
                Shown(name),
                $"{name} ({Shown(name)}) must be at least {lowerName} ({Shown(lowerName)}).");
        }
    }

    private void ValidateSecurity(List<string> warnings)
    {
        string protocol = Shown("security.protocol")!;
        bool sasl = SecurityProtocol is SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl;
        bool tls = SecurityProtocol is SecurityProtocol.Ssl or SecurityProtocol.SaslSsl;

        if (sasl)
        {
            if (SaslMechanism is not { } mechanism)
            {
                throw ConfigErrors.Rule(
                    "sasl.mechanism",
                    null,
                    $"security.protocol={protocol} requires sasl.mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER).");
            }

            if (mechanism is not Samsa.SaslMechanism.OAuthBearer)
            {
                string shown = Shown("sasl.mechanism")!;
                Require("sasl.username", SaslUsername, $"sasl.mechanism={shown} requires sasl.username.");
                Require("sasl.password", SaslPassword, $"sasl.mechanism={shown} requires sasl.password.");
            }
            else if (OAuthBearerTokenProvider is not null && SaslOAuthBearerConfig is not null)
            {
                AddWarning(warnings, "sasl.oauthbearer.config is set but a token provider is too; the provider's tokens are used and sasl.oauthbearer.config is ignored.");
            }
        }
        else if (ChangedAmong(SaslProperties) is { Length: > 0 } unused)
        {
            AddWarning(warnings, $"{unused} {(unused.Contains(',', StringComparison.Ordinal) ? "are" : "is")} set but security.protocol={protocol} does not use SASL; ignored.");
        }

        if (!tls && ChangedAmong(SslProperties) is { Length: > 0 } unusedTls)
        {
            AddWarning(warnings, $"{unusedTls} {(unusedTls.Contains(',', StringComparison.Ordinal) ? "are" : "is")} set but security.protocol={protocol} does not use TLS; ignored.");
        }

        Exclusive("ssl.ca.location", SslCaLocation, "ssl.ca.pem", SslCaPem);
        Exclusive("ssl.certificate.location", SslCertificateLocation, "ssl.certificate.pem", SslCertificatePem);
        Exclusive("ssl.key.location", SslKeyLocation, "ssl.key.pem", SslKeyPem);

        bool hasCertificate = SslCertificateLocation is not null || SslCertificatePem is not null;
        bool hasKey = SslKeyLocation is not null || SslKeyPem is not null;
        if (hasCertificate && !hasKey)
        {
            throw ConfigErrors.Rule(
                "ssl.key.location",
                null,
                "A client certificate (ssl.certificate.location or ssl.certificate.pem) requires its private key (ssl.key.location or ssl.key.pem).");
        }

        if (hasKey && !hasCertificate)
        {
            throw ConfigErrors.Rule(
                "ssl.certificate.location",
                null,
                "A private key (ssl.key.location or ssl.key.pem) requires its client certificate (ssl.certificate.location or ssl.certificate.pem).");
        }

        if (SslKeyPassword is not null && SslKeyLocation is null && SslKeyPem is null)
        {
            AddWarning(warnings, "ssl.key.password is set without ssl.key.location or ssl.key.pem; ignored.");
        }
    }

    private static void Require(string name, string? value, string message)
    {
        if (value is null)
        {
            throw ConfigErrors.Rule(name, null, message);
        }
    }

    private void Exclusive(string name, string? value, string otherName, string? other)
    {
        if (value is not null && other is not null)
        {
            throw ConfigErrors.Rule(name, Shown(name), $"{name} and {otherName} are mutually exclusive: set only one.");
        }
    }

    /// <summary>The names among <paramref name="names"/> whose values differ from the defaults, comma-separated ("" when none).</summary>
    private string ChangedAmong(string[] names)
    {
        var changed = new List<string>();
        ClientConfig defaults = Defaults;
        foreach (string name in names)
        {
            ConfigProperty property = ConfigRegistry.Get(name);
            if (property.FormatRaw(this) != property.FormatRaw(defaults))
            {
                changed.Add(name);
            }
        }

        return string.Join(", ", changed);
    }
}
