using Microsoft.Extensions.Logging;

namespace Samsa.Cli.Args;

/// <summary>
/// The client properties of a command: from -F files (in order), then -X flags, then the command's own flags
/// (-b, -z...), later ones winning. Validated by building the configuration: an unknown property or a bad value
/// is a usage error naming it.
/// </summary>
internal sealed class ClientProperties
{
    private readonly List<KeyValuePair<string, string>> _properties = [];

    public IReadOnlyList<KeyValuePair<string, string>> Properties => _properties;

    public LogLevel LogLevel { get; private set; } = LogLevel.Error;

    public static ClientProperties From(ParsedArgs args)
    {
        var result = new ClientProperties();
        foreach (string file in args.All(CommonOptions.PropertiesFile.Name))
        {
            result._properties.AddRange(ReadFile(file));
        }

        foreach (string pair in args.All(CommonOptions.Property.Name))
        {
            result._properties.Add(Split(pair, "-X"));
        }

        if (args.Get(CommonOptions.Brokers.Name) is { } brokers)
        {
            result.Set("bootstrap.servers", brokers);
        }

        result.LogLevel = args.Count(CommonOptions.Verbose.Name) switch
        {
            0 => LogLevel.Error,
            1 => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        return result;
    }

    public void Set(string name, string value) => _properties.Add(new(name, value));

    /// <summary>Checks that bootstrap servers were given somewhere (-b, -X bootstrap.servers, -F).</summary>
    public void RequireBrokers(string command)
    {
        foreach (var (name, value) in _properties)
        {
            if ((name is "bootstrap.servers" or "metadata.broker.list") && !string.IsNullOrWhiteSpace(value))
            {
                return;
            }
        }

        throw new UsageException($"{command} needs -b BROKERS (or -X bootstrap.servers=...)");
    }

    public ProducerConfig Producer() => Build(ProducerConfig.FromProperties);

    public ConsumerConfig Consumer() => Build(ConsumerConfig.FromProperties);

    public AdminConfig Admin() => Build(AdminConfig.FromProperties);

    private T Build<T>(Func<IEnumerable<KeyValuePair<string, string>>, T> make)
        where T : ClientConfig
    {
        try
        {
            T config = make(_properties);
            config.Validate();
            return config;
        }
        catch (ConfigException e)
        {
            throw new UsageException("configuration: " + e.Reason);
        }
    }

    private static KeyValuePair<string, string> Split(string pair, string origin)
    {
        int eq = pair.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new UsageException($"{origin} takes NAME=VALUE, not '{pair}'");
        }

        return new(pair[..eq].Trim(), pair[(eq + 1)..]);
    }

    private static List<KeyValuePair<string, string>> ReadFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"-F {path}: {e.Message}");
        }

        var list = new List<KeyValuePair<string, string>>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"{path}:{i + 1}: expected NAME=VALUE, not '{line}'");
            }

            list.Add(new(line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }

        return list;
    }
}
