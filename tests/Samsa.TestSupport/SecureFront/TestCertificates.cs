using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Samsa.TestSupport.SecureFront;

/// <summary>
/// Certificates made for a test run with <see cref="CertificateRequest"/> (ECDSA P-256): a CA, a server
/// certificate for localhost and 127.0.0.1, a client certificate, an expired server certificate, one for the
/// wrong host, and a second CA that signed nothing here. <see cref="WriteTo"/> writes them as PEM files for
/// clients that take paths (librdkafka, libsamsa, Python).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    /// <summary>The password of <see cref="ClientKeyEncryptedPem"/>.</summary>
    public const string ClientKeyPassword = "client-key-secret";

    private TestCertificates()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Ca = CreateCa("CN=Samsa Test CA", now);
        OtherCa = CreateCa("CN=Samsa Other CA", now);
        Server = Issue(Ca, "CN=localhost", now.AddDays(-1), now.AddDays(30), server: true, ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        Client = Issue(Ca, "CN=samsa-client", now.AddDays(-1), now.AddDays(30), server: false, [], []);
        Expired = Issue(Ca, "CN=localhost", now.AddDays(-30), now.AddDays(-1), server: true, ["localhost"], [IPAddress.Loopback]);
        WrongHost = Issue(Ca, "CN=wrong.example", now.AddDays(-1), now.AddDays(30), server: true, ["wrong.example"], []);
        ClientSignedByOtherCa = Issue(OtherCa, "CN=stranger", now.AddDays(-1), now.AddDays(30), server: false, [], []);
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 OtherCa { get; }

    /// <summary>Server certificate for localhost, 127.0.0.1 and ::1, signed by <see cref="Ca"/>.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>Client certificate (CN=samsa-client) signed by <see cref="Ca"/>.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>Server certificate for localhost that expired yesterday.</summary>
    public X509Certificate2 Expired { get; }

    /// <summary>Server certificate for wrong.example only.</summary>
    public X509Certificate2 WrongHost { get; }

    /// <summary>Client certificate signed by <see cref="OtherCa"/>.</summary>
    public X509Certificate2 ClientSignedByOtherCa { get; }

    public string CaPem => Ca.ExportCertificatePem();

    public string OtherCaPem => OtherCa.ExportCertificatePem();

    public string ClientCertificatePem => Client.ExportCertificatePem();

    public string ClientKeyPem => Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

    /// <summary>The client key as encrypted PKCS#8 (password <see cref="ClientKeyPassword"/>).</summary>
    public string ClientKeyEncryptedPem => Client.GetECDsaPrivateKey()!.ExportEncryptedPkcs8PrivateKeyPem(
        ClientKeyPassword, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));

    /// <summary>The directory <see cref="WriteTo"/> wrote to, once it has.</summary>
    public string? Directory { get; private set; }

    public static TestCertificates Create() => new();

    /// <summary>
    /// Writes ca.pem, other-ca.pem, client.pem, client.key, client-encrypted.key, stranger.pem, stranger.key;
    /// returns the directory (a new temporary one when <paramref name="directory"/> is null).
    /// </summary>
    public string WriteTo(string? directory = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "samsa-certs-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "ca.pem"), CaPem);
        File.WriteAllText(Path.Combine(directory, "other-ca.pem"), OtherCaPem);
        File.WriteAllText(Path.Combine(directory, "client.pem"), ClientCertificatePem);
        File.WriteAllText(Path.Combine(directory, "client.key"), ClientKeyPem);
        File.WriteAllText(Path.Combine(directory, "client-encrypted.key"), ClientKeyEncryptedPem);
        File.WriteAllText(Path.Combine(directory, "stranger.pem"), ClientSignedByOtherCa.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "stranger.key"), ClientSignedByOtherCa.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        Directory = directory;
        return directory;
    }

    /// <summary>The path of a file <see cref="WriteTo"/> wrote.</summary>
    public string PathOf(string file) => Path.Combine(Directory ?? throw new InvalidOperationException("Call WriteTo first."), file);

    private static X509Certificate2 CreateCa(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-60), now.AddYears(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, bool server,
        string[] dnsNames, IPAddress[] addresses)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (dnsNames.Length > 0 || addresses.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string dns in dnsNames)
            {
                san.AddDnsName(dns);
            }

            foreach (IPAddress ip in addresses)
            {
                san.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(ca, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        Ca.Dispose();
        OtherCa.Dispose();
        Server.Dispose();
        Client.Dispose();
        Expired.Dispose();
        WrongHost.Dispose();
        ClientSignedByOtherCa.Dispose();
    }
}
