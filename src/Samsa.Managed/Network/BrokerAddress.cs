using System.Globalization;

namespace Samsa.Network;

/// <summary>A broker's host and port, as in bootstrap.servers or a Metadata response.</summary>
public readonly record struct BrokerAddress(string Host, int Port)
{
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses "host:port", "[v6]:port" or a bare host (port 9092).</summary>
    public static BrokerAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        int colon;
        string host;
        if (s.StartsWith('['))
        {
            int close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"'{text}' is not a valid broker address: missing ']'.");
            }

            host = s[1..close];
            colon = s.IndexOf(':', close);
        }
        else
        {
            colon = s.LastIndexOf(':');
            host = colon < 0 ? s : s[..colon];
        }

        // librdkafka accepts a protocol prefix such as PLAINTEXT://; so do we.
        int scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        if (host.Length == 0)
        {
            throw new FormatException($"'{text}' is not a valid broker address: empty host.");
        }

        int port = 9092;
        if (colon >= 0)
        {
            string p = s[(colon + 1)..];
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new FormatException($"'{text}' is not a valid broker address: bad port '{p}'.");
            }
        }

        return new BrokerAddress(host, port);
    }

    /// <summary>Parses a comma-separated list.</summary>
    public static IReadOnlyList<BrokerAddress> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<BrokerAddress>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.Add(Parse(part));
        }

        if (list.Count == 0)
        {
            throw new FormatException("The broker list is empty.");
        }

        return list;
    }
}
