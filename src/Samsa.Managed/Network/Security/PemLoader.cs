using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Samsa.Network.Security;

/// <summary>Reads PEM certificates and keys for TLS; errors name the property, never a secret.</summary>
internal static class PemLoader
{
    /// <summary>Every certificate of a PEM file, or of every PEM file in a directory (as OpenSSL's CApath).</summary>
    public static X509Certificate2Collection CertificatesFromLocation(string location, string property)
    {
        var all = new X509Certificate2Collection();
        if (Directory.Exists(location))
        {
            foreach (string file in Directory.EnumerateFiles(location))
            {
                string text;
                try
                {
                    text = File.ReadAllText(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    all.AddRange(Parse(text, property, location));
                }
            }

            if (all.Count == 0)
            {
                throw new ConfigException(property, location, $"{property}: directory '{location}' holds no PEM certificate.");
            }

            return all;
        }

        return CertificatesFromText(ReadFile(location, property), property, location);
    }

    /// <summary>Every certificate in PEM text.</summary>
    public static X509Certificate2Collection CertificatesFromText(string pem, string property, string? location = null)
    {
        X509Certificate2Collection certificates = Parse(pem, property, location);
        if (certificates.Count == 0)
        {
            throw new ConfigException(property, location, $"{property}{Where(location)} holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        return certificates;
    }

    /// <summary>The client certificate with its key (ssl.certificate.*, ssl.key.*, ssl.key.password) and the chain after it.</summary>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Chain) ClientCertificate(ClientConfig config)
    {
        string certificateProperty = config.SslCertificatePem is not null ? "ssl.certificate.pem" : "ssl.certificate.location";
        string certificatePem = config.SslCertificatePem ?? ReadFile(config.SslCertificateLocation!, certificateProperty);
        string keyProperty = config.SslKeyPem is not null ? "ssl.key.pem" : "ssl.key.location";
        string keyPem = config.SslKeyPem ?? (config.SslKeyLocation is { } keyFile ? ReadFile(keyFile, keyProperty) : certificatePem);
        X509Certificate2Collection all = CertificatesFromText(certificatePem, certificateProperty, config.SslCertificateLocation);
        X509Certificate2 withKey;
        try
        {
            withKey = config.SslKeyPassword is { } password
                ? X509Certificate2.CreateFromEncryptedPem(certificatePem, keyPem, password)
                : X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException)
        {
            string why = config.SslKeyPassword is not null
                ? "the key does not decrypt with ssl.key.password (or it is not an encrypted PKCS#8 key, -----BEGIN ENCRYPTED PRIVATE KEY-----)"
                : keyPem.Contains("ENCRYPTED", StringComparison.Ordinal)
                    ? "the key is encrypted: set ssl.key.password (only PKCS#8 encryption, -----BEGIN ENCRYPTED PRIVATE KEY-----, is supported)"
                    : "no private key that matches the certificate was found (PKCS#8, PKCS#1 RSA or SEC1 EC keys in PEM)";
            throw new ConfigException(keyProperty, keyProperty == "ssl.key.pem" ? ConfigErrors.Redacted : config.SslKeyLocation,
                $"The client certificate ({certificateProperty}) cannot be used: {why}.");
        }
        catch (ArgumentException)
        {
            throw new ConfigException(keyProperty, keyProperty == "ssl.key.pem" ? ConfigErrors.Redacted : config.SslKeyLocation,
                $"The client certificate ({certificateProperty}) cannot be used: {keyProperty} holds no private key that matches it (PKCS#8, PKCS#1 RSA or SEC1 EC keys in PEM).");
        }

        var chain = new X509Certificate2Collection();
        for (int i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }

        return (withKey, chain);
    }

    private static X509Certificate2Collection Parse(string pem, string property, string? location)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new ConfigException(property, location, $"{property}{Where(location)} holds a certificate that does not parse: {ex.Message}");
        }

        return certificates;
    }

    private static string ReadFile(string path, string property)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException(property, path, $"{property}: cannot read '{path}': {ex.Message}");
        }
    }

    private static string Where(string? location) => location is null ? string.Empty : $" ('{location}')";
}
