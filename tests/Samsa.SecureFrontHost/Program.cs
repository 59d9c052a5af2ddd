// The secure front as a program, for the C and Python tests (bindings/testing/samsa_test_cluster.py --secure):
// starts one front per set-up in front of the given plaintext brokers, prints where they listen, then answers
// "stats NAME" and "failures NAME" on stdin until stdin ends.
//
//   Samsa.SecureFrontHost --upstream HOST:PORT[,HOST:PORT...] [--certs DIR] [--session-lifetime-ms N]
//
// Output: "CERTS DIR" (ca.pem, client.pem, client.key, client-encrypted.key, other-ca.pem, ...; the key password
// is in "KEYPASS ..."), "USER NAME PASSWORD", one "FRONT NAME BOOTSTRAP" per set-up (ssl, mtls, sasl_plaintext,
// sasl_ssl with every SASL mechanism; sasl_reauth: sasl_plaintext whose sessions last --session-lifetime-ms,
// 2000 by default), then "READY".
using System.Globalization;
using Samsa.TestSupport.SecureFront;

string? upstream = null;
string? certificatesDirectory = null;
int lifetimeMs = 2000;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--upstream" when i + 1 < args.Length:
            upstream = args[++i];
            break;
        case "--certs" when i + 1 < args.Length:
            certificatesDirectory = args[++i];
            break;
        case "--session-lifetime-ms" when i + 1 < args.Length:
            lifetimeMs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine("usage: Samsa.SecureFrontHost --upstream HOST:PORT[,HOST:PORT...] [--certs DIR] [--session-lifetime-ms N]");
            return 2;
    }
}

if (upstream is null)
{
    Console.Error.WriteLine("--upstream is required");
    return 2;
}

string[] brokers = upstream.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
using TestCertificates certificates = TestCertificates.Create();
string directory = certificates.WriteTo(certificatesDirectory);
var fronts = new Dictionary<string, SecureFront>(StringComparer.Ordinal);
foreach (string mode in SecureSetups.Modes)
{
    fronts[mode] = SecureFront.Start(brokers, SecureSetups.Options(mode, certificates));
}

fronts["sasl_reauth"] = SecureFront.Start(brokers, SecureSetups.Options("sasl_plaintext", certificates, TimeSpan.FromMilliseconds(lifetimeMs)));
Console.WriteLine($"CERTS {directory}");
Console.WriteLine($"KEYPASS {TestCertificates.ClientKeyPassword}");
Console.WriteLine($"USER {SecureSetups.User} {SecureSetups.Password}");
foreach (var (name, front) in fronts)
{
    Console.WriteLine($"FRONT {name} {front.BootstrapServers}");
}

Console.WriteLine("READY");
Console.Out.Flush();

while (Console.ReadLine() is { } line)
{
    string[] parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    if (parts.Length != 2 || !fronts.TryGetValue(parts[1], out SecureFront? f))
    {
        Console.WriteLine("ERR expected 'stats NAME' or 'failures NAME' with NAME one of " + string.Join(", ", fronts.Keys));
    }
    else if (parts[0] == "stats")
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OK connections={f.ConnectionCount} tls={f.TlsHandshakes} authentications={f.Authentications} reauthentications={f.Reauthentications} expired={f.ExpiredSessions} failures={f.Failures.Count}"));
    }
    else if (parts[0] == "failures")
    {
        Console.WriteLine("OK " + string.Join(" | ", f.Failures));
    }
    else
    {
        Console.WriteLine("ERR unknown command " + parts[0]);
    }

    Console.Out.Flush();
}

foreach (SecureFront front in fronts.Values)
{
    await front.DisposeAsync();
}

if (certificatesDirectory is null)
{
    Directory.Delete(directory, recursive: true);
}

return 0;
