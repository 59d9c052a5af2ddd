namespace Samsa.Cli.Args;

/// <summary>
/// One option of a command: a short name (kcat's letter, e.g. 'b'), a long name, whether it takes a value and
/// whether it may repeat. Its canonical name (used to look it up) is the long name, else the short one.
/// </summary>
internal sealed record OptionSpec(char? Short, string? Long, string? ValueName, string Help, bool Repeatable = false)
{
    public bool TakesValue => ValueName is not null;

    public string Name => Long ?? Short!.Value.ToString();

    public string Display => (Short is { } s ? "-" + s : "") + (Short is not null && Long is not null ? ", " : "") + (Long is null ? "" : "--" + Long)
        + (ValueName is null ? "" : " " + ValueName);
}

/// <summary>The options every client command takes.</summary>
internal static class CommonOptions
{
    public static readonly OptionSpec Brokers = new('b', "brokers", "BROKERS", "Bootstrap brokers, host:port[,host:port...] (bootstrap.servers)");
    public static readonly OptionSpec Property = new('X', "property", "NAME=VALUE", "Set a client property (any librdkafka/Java name)", Repeatable: true);
    public static readonly OptionSpec PropertiesFile = new('F', "config-file", "FILE", "Read properties from FILE: NAME=VALUE lines, # comments", Repeatable: true);
    public static readonly OptionSpec Verbose = new('v', "verbose", null, "Log client warnings and information to stderr (-v -v: debug)", Repeatable: true);
    public static readonly OptionSpec Help = new('h', "help", null, "Show this command's help");

    public static readonly IReadOnlyList<OptionSpec> Client = [Brokers, Property, PropertiesFile, Verbose, Help];
}
