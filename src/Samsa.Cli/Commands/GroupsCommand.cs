using Samsa.Cli.Args;

namespace Samsa.Cli.Commands;

/// <summary>samsa groups list|describe|delete: consumer group administration through the admin client.</summary>
internal sealed class GroupsCommand : ICommand
{
    private static readonly OptionSpec Group = new('G', "group", "GROUP", "A group (or give groups as arguments)", Repeatable: true);
    private static readonly OptionSpec State = new('s', "state", "STATE", "list: only groups in this state (Stable, Empty, ...)", Repeatable: true);
    private static readonly OptionSpec Offsets = new(null, "offsets", null, "describe: also show committed offsets and lag");

    public string Name => "groups";

    public string Summary => "Consumer groups: list, describe, delete.";

    public string Usage =>
        "samsa groups list -b BROKERS [--state STATE]...\n" +
        "       samsa groups describe -b BROKERS GROUP... [--offsets]\n" +
        "       samsa groups delete -b BROKERS GROUP...";

    public IReadOnlyList<OptionSpec> Options { get; } = [.. CommonOptions.Client, Group, State, Offsets];

    public async Task<int> RunAsync(ParsedArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        string sub = SubcommandCheck.Subcommand(args, "list", "describe", "delete");
        SubcommandCheck.Only(args, sub, State, "list");
        SubcommandCheck.Only(args, sub, Offsets, "describe");
        if (sub == "list")
        {
            if (args.Positionals.Count > 1 || args.Has(Group.Name))
            {
                throw new UsageException("'list' takes no group names");
            }

            await using AdminSession listing = AdminSession.Open(args, console);
            return await ListAsync(listing.Client, args.All(State.Name), console, cancellationToken).ConfigureAwait(false);
        }

        List<string> groups = SubcommandCheck.Names(args, sub, "group", Group);
        await using AdminSession session = AdminSession.Open(args, console);
        return sub == "delete"
            ? await DeleteAsync(session.Client, groups, console, cancellationToken).ConfigureAwait(false)
            : await DescribeAsync(session.Client, groups, args.Has(Offsets.Name), console, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ListAsync(AdminClient admin, IReadOnlyList<string> states, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<GroupListing> groups;
        int code = ExitCodes.Ok;
        try
        {
            groups = await admin.ListGroupsAsync(states.Count == 0 ? null : states, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ListGroupsException e)
        {
            groups = e.Groups;
            foreach (var (broker, error) in e.BrokerErrors.OrderBy(kv => kv.Key))
            {
                console.Error.WriteLine($"samsa: broker {broker} could not list its groups: {error.Message}");
            }

            code = ExitCodes.Failure;
        }

        foreach (GroupListing g in groups)
        {
            string state = g.State.Length > 0 ? " " + g.State : "";
            string type = g.ProtocolType.Length > 0 ? $" ({g.ProtocolType})" : "";
            console.Out.WriteLine($"{g.GroupId}{state}{type}, coordinator {g.CoordinatorId}");
        }

        return code;
    }

    private static async Task<int> DeleteAsync(AdminClient admin, List<string> groups, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeleteGroupResult> results;
        try
        {
            results = await admin.DeleteGroupsAsync(groups, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AdminException<DeleteGroupResult> e)
        {
            results = e.Results;
        }

        foreach (DeleteGroupResult r in results.Where(r => r.Error == ErrorCode.None))
        {
            console.Out.WriteLine($"deleted group \"{r.GroupId}\"");
        }

        return TopicsCommand.Report(console, "delete", results);
    }

    private static async Task<int> DescribeAsync(AdminClient admin, List<string> groups, bool offsets, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<GroupDescription> described;
        try
        {
            described = await admin.DescribeGroupsAsync(groups, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AdminException<GroupDescription> e)
        {
            described = e.Results;
        }

        TextWriter o = console.Out;
        int code = ExitCodes.Ok;
        foreach (GroupDescription g in described.Where(g => g.Error == ErrorCode.None))
        {
            o.WriteLine($"group \"{g.GroupId}\" {g.State}, protocol {(g.ProtocolType.Length == 0 ? "-" : g.ProtocolType)}/{(g.Protocol.Length == 0 ? "-" : g.Protocol)}, coordinator {g.Coordinator?.Id}, {g.Members.Count} members:");
            foreach (GroupMemberDescription m in g.Members)
            {
                string assigned = string.Join(", ", m.Assignment.GroupBy(tp => tp.Topic).Select(t => $"{t.Key} [{string.Join(",", t.Select(tp => tp.Partition))}]"));
                o.WriteLine($"  {m.MemberId} client {m.ClientId} {m.ClientHost}{(m.GroupInstanceId is null ? "" : " instance " + m.GroupInstanceId)}: {(assigned.Length == 0 ? "(nothing assigned)" : assigned)}");
            }

            if (offsets && await PrintOffsetsAsync(admin, g.GroupId, console, cancellationToken).ConfigureAwait(false) != ExitCodes.Ok)
            {
                code = ExitCodes.Failure;
            }
        }

        return TopicsCommand.Report(console, "describe", described) == ExitCodes.Ok ? code : ExitCodes.Failure;
    }

    private static async Task<int> PrintOffsetsAsync(AdminClient admin, string group, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<GroupOffsetResult> committed;
        try
        {
            committed = await admin.ListGroupOffsetsAsync(group, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            console.Error.WriteLine($"samsa: could not read the offsets of group '{group}': {e.Message}");
            return ExitCodes.Failure;
        }

        var ends = new Dictionary<TopicPartition, long>();
        try
        {
            foreach (ListOffsetsResult r in await admin.ListOffsetsAsync(committed.Select(c => new TopicPartitionOffsetSpec(c.TopicPartition, OffsetSpec.Latest)),
                cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                ends[r.TopicPartition] = r.Offset.Value;
            }
        }
        catch (AdminException<ListOffsetsResult> e)
        {
            foreach (ListOffsetsResult r in e.Results.Where(r => r.Error == ErrorCode.None))
            {
                ends[r.TopicPartition] = r.Offset.Value;
            }
        }

        console.Out.WriteLine("  offsets:");
        foreach (GroupOffsetResult c in committed)
        {
            string end = ends.TryGetValue(c.TopicPartition, out long e) ? e.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
            string lag = ends.TryGetValue(c.TopicPartition, out long e2) && !c.Offset.IsSpecial ? (e2 - c.Offset.Value).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
            console.Out.WriteLine($"    {c.TopicPartition.Topic} [{c.TopicPartition.Partition}] committed {c.Offset}, end {end}, lag {lag}");
        }

        return ExitCodes.Ok;
    }
}
