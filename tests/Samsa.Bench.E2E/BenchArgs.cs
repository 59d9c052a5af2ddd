using System.Globalization;

namespace Samsa.Bench.E2E;

/// <summary>"--name value" arguments, shared by the orchestrator and the client processes.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        string? name = null;
        foreach (string a in args)
        {
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    _values[name] = "true";
                }

                name = a[2..];
            }
            else if (name is not null)
            {
                _values[name] = a;
                name = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{a}' (arguments are --name value).");
            }
        }

        if (name is not null)
        {
            _values[name] = "true";
        }
    }

    public string Get(string name, string fallback) => _values.TryGetValue(name, out string? v) ? v : fallback;

    public string Require(string name) =>
        _values.TryGetValue(name, out string? v) ? v : throw new ArgumentException($"--{name} is required.");

    public long GetLong(string name, long fallback) =>
        _values.TryGetValue(name, out string? v) ? ParseCount(name, v) : fallback;

    public int GetInt(string name, int fallback) => checked((int)GetLong(name, fallback));

    /// <summary>Accepts 1000000, 1_000_000, 1e6, 100k and 1M.</summary>
    private static long ParseCount(string name, string v)
    {
        string s = v.Replace("_", "", StringComparison.Ordinal).Trim();
        long scale = 1;
        if (s.EndsWith('k') || s.EndsWith('K'))
        {
            scale = 1_000;
            s = s[..^1];
        }
        else if (s.EndsWith('M'))
        {
            scale = 1_000_000;
            s = s[..^1];
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= 0)
        {
            return (long)(d * scale);
        }

        throw new ArgumentException($"--{name} '{v}' is not a count.");
    }
}
