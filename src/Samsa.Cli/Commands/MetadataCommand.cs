using Samsa.Cli.Args;

namespace Samsa.Cli.Commands;

/// <summary>kcat -L: the cluster's brokers and its topics' partitions, leaders, replicas and in-sync replicas.</summary>
internal sealed class MetadataCommand : ICommand
{
    private static readonly OptionSpec Topic = new('t', "topic", "TOPIC", "Only this topic (repeatable)", Repeatable: true);
    private static readonly OptionSpec Internal = new(null, "internal", null, "Include internal topics");

    public string Name => "metadata";

    public string Summary => "List the cluster's brokers, topics and partitions (kcat -L).";

    public string Usage => "samsa metadata -b BROKERS [-t TOPIC]... [--internal]";

    public IReadOnlyList<OptionSpec> Options { get; } = [.. CommonOptions.Client, Topic, Internal];

    public async Task<int> RunAsync(ParsedArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        }

        await using AdminSession session = AdminSession.Open(args, console);
        AdminClient admin = session.Client;
        ClusterDescription cluster = await admin.DescribeClusterAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> names = args.All(Topic.Name);
        bool all = names.Count == 0;
        if (all)
        {
            names = [.. (await admin.ListTopicsAsync(args.Has(Internal.Name), cancellationToken: cancellationToken).ConfigureAwait(false)).Select(t => t.Name)];
        }

        IReadOnlyList<TopicDescription> topics = names.Count == 0 ? [] : await Describe(admin, names, cancellationToken).ConfigureAwait(false);
        TextWriter o = console.Out;
        o.WriteLine($"Metadata for {(all ? "all topics" : string.Join(", ", names))} (cluster {cluster.ClusterId ?? "(no id)"}):");
        o.WriteLine($" {cluster.Brokers.Count} brokers:");
        foreach (Node b in cluster.Brokers)
        {
            o.WriteLine($"  broker {b.Id} at {b.Host}:{b.Port}{(b.Rack is null ? "" : " rack " + b.Rack)}{(b.Id == cluster.ControllerId ? " (controller)" : "")}");
        }

        o.WriteLine($" {topics.Count} topics:");
        int failed = 0;
        foreach (TopicDescription t in topics)
        {
            if (t.Error != ErrorCode.None)
            {
                failed++;
                o.WriteLine($"  topic \"{t.Name}\" error: {t.Error.Name()}: {t.ErrorMessage}");
                continue;
            }

            o.WriteLine($"  topic \"{t.Name}\" with {t.Partitions.Count} partitions:");
            foreach (PartitionDescription p in t.Partitions)
            {
                string error = p.Error == ErrorCode.None ? "" : $", error: {p.Error.Name()}";
                o.WriteLine($"    partition {p.Partition}, leader {p.Leader}, replicas: {string.Join(",", p.Replicas)}, isrs: {string.Join(",", p.InSyncReplicas)}{error}");
            }
        }

        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<IReadOnlyList<TopicDescription>> Describe(AdminClient admin, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        try
        {
            return await admin.DescribeTopicsAsync(names, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AdminException<TopicDescription> e)
        {
            return e.Results; // unknown topics are shown with their error
        }
    }
}
