using Samsa.Cli.Args;

namespace Samsa.Cli.Commands;

/// <summary>samsa topics list|create|delete|describe: topic administration through the admin client.</summary>
internal sealed class TopicsCommand : ICommand
{
    private static readonly OptionSpec Topic = new('t', "topic", "TOPIC", "A topic (or give topics as arguments)", Repeatable: true);
    private static readonly OptionSpec Partitions = new('P', "partitions", "N", "create: partition count (default: the broker's)");
    private static readonly OptionSpec Replication = new('r', "replication-factor", "N", "create: replication factor (default: the broker's)");
    private static readonly OptionSpec Config = new('c', "config", "NAME=VALUE", "create: a topic configuration entry", Repeatable: true);
    private static readonly OptionSpec ValidateOnly = new(null, "validate-only", null, "create: only check that the topics could be created");
    private static readonly OptionSpec Configs = new(null, "configs", null, "describe: also show each topic's configuration");
    private static readonly OptionSpec Internal = new(null, "internal", null, "list: include internal topics");

    public string Name => "topics";

    public string Summary => "Topics: list, create, delete, describe.";

    public string Usage =>
        "samsa topics list -b BROKERS [--internal]\n" +
        "       samsa topics create -b BROKERS TOPIC... [-P PARTITIONS] [-r REPLICATION] [-c NAME=VALUE]... [--validate-only]\n" +
        "       samsa topics delete -b BROKERS TOPIC...\n" +
        "       samsa topics describe -b BROKERS TOPIC... [--configs]";

    public IReadOnlyList<OptionSpec> Options { get; } = [.. CommonOptions.Client, Topic, Partitions, Replication, Config, ValidateOnly, Configs, Internal];

    public async Task<int> RunAsync(ParsedArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        string sub = SubcommandCheck.Subcommand(args, "list", "create", "delete", "describe");
        SubcommandCheck.Only(args, sub, Partitions, "create");
        SubcommandCheck.Only(args, sub, Replication, "create");
        SubcommandCheck.Only(args, sub, Config, "create");
        SubcommandCheck.Only(args, sub, ValidateOnly, "create");
        SubcommandCheck.Only(args, sub, Configs, "describe");
        SubcommandCheck.Only(args, sub, Internal, "list");
        if (sub == "list")
        {
            if (args.Positionals.Count > 1 || args.Has(Topic.Name))
            {
                throw new UsageException("'list' takes no topic names");
            }

            await using AdminSession listing = AdminSession.Open(args, console);
            foreach (TopicListing t in await listing.Client.ListTopicsAsync(args.Has(Internal.Name), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                console.Out.WriteLine(t.Name);
            }

            return ExitCodes.Ok;
        }

        List<string> names = SubcommandCheck.Names(args, sub, "topic", Topic);
        var newTopics = sub == "create" ? NewTopics(args, names) : null;
        await using AdminSession session = AdminSession.Open(args, console);
        return sub switch
        {
            "create" => await CreateAsync(session.Client, newTopics!, args.Has(ValidateOnly.Name), console, cancellationToken).ConfigureAwait(false),
            "delete" => await DeleteAsync(session.Client, names, console, cancellationToken).ConfigureAwait(false),
            _ => await DescribeAsync(session.Client, names, args.Has(Configs.Name), console, cancellationToken).ConfigureAwait(false),
        };
    }

    private static List<NewTopic> NewTopics(ParsedArgs args, List<string> names)
    {
        int partitions = args.GetInt(Partitions.Name, "--partitions", min: 1) ?? -1;
        int replication = args.GetInt(Replication.Name, "--replication-factor", min: 1, max: short.MaxValue) ?? -1;
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in args.All(Config.Name))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"--config takes NAME=VALUE, not '{pair}'");
            }

            configs[pair[..eq]] = pair[(eq + 1)..];
        }

        return [.. names.Select(n => new NewTopic(n, partitions, (short)replication) { Configs = configs.Count == 0 ? null : configs })];
    }

    private static async Task<int> CreateAsync(AdminClient admin, List<NewTopic> topics, bool validateOnly, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<CreateTopicResult> results;
        try
        {
            results = await admin.CreateTopicsAsync(topics, new AdminOptions { ValidateOnly = validateOnly }, cancellationToken).ConfigureAwait(false);
        }
        catch (AdminException<CreateTopicResult> e)
        {
            results = e.Results;
        }

        foreach (CreateTopicResult r in results)
        {
            if (r.Error == ErrorCode.None)
            {
                string counts = r.NumPartitions >= 0 ? $" ({r.NumPartitions} partitions, replication factor {r.ReplicationFactor})" : "";
                console.Out.WriteLine($"{(validateOnly ? "could create" : "created")} topic \"{r.Topic}\"{counts}");
            }
        }

        return Report(console, "create", results);
    }

    private static async Task<int> DeleteAsync(AdminClient admin, List<string> names, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeleteTopicResult> results;
        try
        {
            results = await admin.DeleteTopicsAsync(names, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AdminException<DeleteTopicResult> e)
        {
            results = e.Results;
        }

        foreach (DeleteTopicResult r in results.Where(r => r.Error == ErrorCode.None))
        {
            console.Out.WriteLine($"deleted topic \"{r.Topic}\"");
        }

        return Report(console, "delete", results);
    }

    private static async Task<int> DescribeAsync(AdminClient admin, List<string> names, bool withConfigs, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<TopicDescription> topics;
        try
        {
            topics = await admin.DescribeTopicsAsync(names, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AdminException<TopicDescription> e)
        {
            topics = e.Results;
        }

        IReadOnlyList<DescribeConfigsResult> configs = [];
        if (withConfigs)
        {
            try
            {
                configs = await admin.DescribeConfigsAsync(topics.Where(t => t.Error == ErrorCode.None).Select(t => ConfigResource.Topic(t.Name)),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (AdminException<DescribeConfigsResult> e)
            {
                configs = e.Results;
            }
        }

        TextWriter o = console.Out;
        foreach (TopicDescription t in topics.Where(t => t.Error == ErrorCode.None))
        {
            o.WriteLine($"topic \"{t.Name}\" id {t.TopicId} with {t.Partitions.Count} partitions{(t.IsInternal ? " (internal)" : "")}:");
            foreach (PartitionDescription p in t.Partitions)
            {
                o.WriteLine($"  partition {p.Partition}, leader {p.Leader}, replicas: {string.Join(",", p.Replicas)}, isrs: {string.Join(",", p.InSyncReplicas)}");
            }

            DescribeConfigsResult? c = configs.FirstOrDefault(r => r.Resource.Name == t.Name);
            if (c is not null && c.Error == ErrorCode.None)
            {
                o.WriteLine("  configs:");
                foreach (ConfigEntry e in c.Entries)
                {
                    o.WriteLine($"    {e.Name}={(e.IsSensitive ? "(sensitive)" : e.Value)}{(e.IsDefault ? " (default)" : "")}");
                }
            }
        }

        int code = Report(console, "describe", topics);
        return Report(console, "describe configs of", configs) == ExitCodes.Ok ? code : ExitCodes.Failure;
    }

    /// <summary>One stderr line per failed item; exit code 1 when there was any.</summary>
    internal static int Report<T>(CliConsole console, string verb, IReadOnlyList<T> results)
        where T : IAdminResult
    {
        int failed = 0;
        foreach (T r in results.Where(r => r.Error != ErrorCode.None))
        {
            failed++;
            console.Error.WriteLine($"samsa: could not {verb} {r.Subject}: {r.Error.Name()}: {r.ErrorMessage}");
        }

        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
