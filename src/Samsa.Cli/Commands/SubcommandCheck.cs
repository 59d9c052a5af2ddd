using Samsa.Cli.Args;

namespace Samsa.Cli.Commands;

/// <summary>For commands with subcommands (topics, groups): which subcommand, and options only it may take.</summary>
internal static class SubcommandCheck
{
    public static string Subcommand(ParsedArgs args, params string[] known)
    {
        if (args.Positionals.Count == 0)
        {
            throw new UsageException($"needs a subcommand: {string.Join(", ", known)}");
        }

        string sub = args.Positionals[0];
        if (Array.IndexOf(known, sub) < 0)
        {
            throw new UsageException($"unknown subcommand '{sub}' (expected {string.Join(", ", known)})");
        }

        return sub;
    }

    /// <summary>Rejects an option given to a subcommand that does not take it.</summary>
    public static void Only(ParsedArgs args, string sub, OptionSpec option, params string[] allowedIn)
    {
        if (args.Has(option.Name) && Array.IndexOf(allowedIn, sub) < 0)
        {
            throw new UsageException($"option '{(option.Long is null ? "-" + option.Short : "--" + option.Long)}' does not apply to '{sub}'");
        }
    }

    /// <summary>The names after the subcommand (and any -t flags), at least one.</summary>
    public static List<string> Names(ParsedArgs args, string sub, string what, OptionSpec? flag = null)
    {
        var names = new List<string>(args.Positionals.Skip(1));
        if (flag is not null)
        {
            names.AddRange(args.All(flag.Name));
        }

        if (names.Count == 0)
        {
            throw new UsageException($"'{sub}' needs at least one {what}");
        }

        return names;
    }
}
