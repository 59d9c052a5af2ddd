using System.Globalization;

namespace Samsa.Cli.Args;

/// <summary>A command line parsed against its options: values by canonical option name, and positional words.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public ParsedArgs(string command)
    {
        Command = command;
    }

    /// <summary>"samsa produce", for messages.</summary>
    public string Command { get; }

    public List<string> Positionals { get; } = [];

    public bool Has(string name) => _values.ContainsKey(name);

    public int Count(string name) => _values.TryGetValue(name, out List<string>? v) ? v.Count : 0;

    public string? Get(string name) => _values.TryGetValue(name, out List<string>? v) ? v[^1] : null;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out List<string>? v) ? v : [];

    public string Require(string name, string flag) =>
        Get(name) ?? throw new UsageException($"{Command} needs {flag}");

    public int? GetInt(string name, string flag, int min = int.MinValue, int max = int.MaxValue)
    {
        string? text = Get(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            string range = max == int.MaxValue ? $"a whole number >= {min}" : $"a whole number from {min} to {max}";
            throw new UsageException($"{flag} takes {range}, not '{text}'");
        }

        return value;
    }

    public long? GetLong(string name, string flag, long min = long.MinValue)
    {
        string? text = Get(name);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < min)
        {
            throw new UsageException($"{flag} takes a whole number >= {min}, not '{text}'");
        }

        return value;
    }

    internal void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out List<string>? list))
        {
            _values[name] = list = [];
        }

        list.Add(value);
    }
}
