using System.Globalization;
using System.Text;

namespace Samsa.Cli.Args;

/// <summary>kcat's delimiter and format escapes: \n \r \t \\ and \xNN (a byte in hex).</summary>
internal static class Escapes
{
    public static byte[] Decode(string text, string flag)
    {
        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }

            char next = text[++i];
            switch (next)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '0': bytes.Add(0); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x':
                    if (i + 2 >= text.Length
                        || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
                    {
                        throw new UsageException($"{flag}: \\x needs two hex digits");
                    }

                    bytes.Add(b);
                    i += 2;
                    break;
                default:
                    throw new UsageException($"{flag}: unknown escape '\\{next}' (use \\n, \\r, \\t, \\0, \\\\ or \\xNN)");
            }
        }

        if (bytes.Count == 0)
        {
            throw new UsageException($"{flag} must not be empty");
        }

        return [.. bytes];
    }
}
