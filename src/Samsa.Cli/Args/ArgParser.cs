namespace Samsa.Cli.Args;

/// <summary>
/// getopt-style parsing as kcat does it: "-b host" or "-bhost", "--brokers host" or "--brokers=host", flags
/// without values ("-e"), "--" ending the options. Anything else starting with '-' is an unknown option.
/// </summary>
internal static class ArgParser
{
    public static ParsedArgs Parse(string command, IReadOnlyList<string> args, IReadOnlyList<OptionSpec> options)
    {
        var parsed = new ParsedArgs(command);
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-' || IsNegativeNumber(arg))
            {
                parsed.Positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            OptionSpec spec;
            string? value = null;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                string name = arg[2..];
                int eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }

                spec = Find(options, o => o.Long == name) ?? throw new UsageException($"{command}: unknown option '--{name}'");
                if (!spec.TakesValue && value is not null)
                {
                    throw new UsageException($"{command}: option '--{name}' takes no value");
                }
            }
            else
            {
                char letter = arg[1];
                spec = Find(options, o => o.Short == letter) ?? throw new UsageException($"{command}: unknown option '-{letter}'");
                if (arg.Length > 2)
                {
                    if (!spec.TakesValue)
                    {
                        throw new UsageException($"{command}: option '-{letter}' takes no value (in '{arg}')");
                    }

                    value = arg[2..];
                }
            }

            if (spec.TakesValue && value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{command}: option '{Flag(spec, arg)}' needs a value ({spec.ValueName})");
                }

                value = args[++i];
            }

            if (!spec.Repeatable && parsed.Has(spec.Name))
            {
                throw new UsageException($"{command}: option '{Flag(spec, arg)}' is given more than once");
            }

            parsed.Add(spec.Name, value ?? "");
        }

        return parsed;
    }

    private static OptionSpec? Find(IReadOnlyList<OptionSpec> options, Func<OptionSpec, bool> match)
    {
        foreach (OptionSpec o in options)
        {
            if (match(o))
            {
                return o;
            }
        }

        return null;
    }

    private static string Flag(OptionSpec spec, string arg) => arg.StartsWith("--", StringComparison.Ordinal) ? "--" + spec.Long : "-" + spec.Short;

    private static bool IsNegativeNumber(string arg) => arg.Length > 1 && arg[0] == '-' && char.IsAsciiDigit(arg[1]);
}
