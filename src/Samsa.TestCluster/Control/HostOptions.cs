using System.Globalization;

namespace Samsa.TestCluster.Control;

/// <summary>A topic to create at start-up, from <c>--topic NAME:PARTITIONS[:RF]</c>.</summary>
public sealed record TopicSpec(string Name, int Partitions, int ReplicationFactor)
{
    /// <summary>Parses <c>NAME:PARTITIONS[:RF]</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static TopicSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int partitions) || partitions < 1)
        {
            throw new FormatException($"--topic takes NAME:PARTITIONS[:RF] with PARTITIONS >= 1, not '{text}'");
        }

        int rf = 1;
        if (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out rf) || rf < 1))
        {
            throw new FormatException($"--topic replication factor must be >= 1 in '{text}'");
        }

        return new TopicSpec(parts[0], partitions, rf);
    }
}

/// <summary>The host's command line: <c>--brokers N</c> (default 3), <c>--topic NAME:PARTITIONS[:RF]</c> (repeatable).</summary>
public sealed class HostOptions
{
    public int Brokers { get; private set; } = 3;

    public IList<TopicSpec> Topics { get; } = [];

    public const string Usage = "usage: Samsa.TestCluster [--brokers N] [--topic NAME:PARTITIONS[:RF]]...";

    /// <exception cref="FormatException">An argument is unknown or malformed.</exception>
    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new HostOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? value = i + 1 < args.Count ? args[i + 1] : null;
            switch (arg)
            {
                case "--brokers":
                    if (value is null || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                        || n < 1 || n > MockCluster.MaxBrokers)
                    {
                        throw new FormatException($"--brokers takes a number from 1 to {MockCluster.MaxBrokers}");
                    }

                    options.Brokers = n;
                    i++;
                    break;
                case "--topic":
                    options.Topics.Add(TopicSpec.Parse(value ?? throw new FormatException("--topic needs NAME:PARTITIONS[:RF]")));
                    i++;
                    break;
                default:
                    throw new FormatException($"unknown argument '{arg}'");
            }
        }

        return options;
    }
}
