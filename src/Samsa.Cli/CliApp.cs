using System.Reflection;
using Samsa.Cli.Args;
using Samsa.Cli.Commands;

namespace Samsa.Cli;

/// <summary>
/// The samsa entry point as a library call (tests run it in-process): picks the command, parses its flags,
/// runs it, and turns every error into one line on stderr and an exit code (see <see cref="ExitCodes"/>).
/// </summary>
internal static class CliApp
{
    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new ProduceCommand(),
        new ConsumeCommand(),
        new MetadataCommand(),
        new TopicsCommand(),
        new GroupsCommand(),
        new MockCommand(),
        new Demo.DemoCommand(),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        string commandName = "samsa";
        try
        {
            if (args.Count == 0 || args[0] is "help" or "-h" or "--help")
            {
                return Help(console, args.Count > 1 ? args[1] : null);
            }

            if (args[0] is "--version" or "version")
            {
                console.Out.WriteLine($"samsa {Version}");
                return ExitCodes.Ok;
            }

            ICommand command = Find(args[0]) ?? throw new UsageException($"unknown command '{args[0]}' (commands: {string.Join(", ", Commands.Select(c => c.Name))})");
            commandName = "samsa " + command.Name;
            ParsedArgs parsed = ArgParser.Parse(commandName, [.. args.Skip(1)], command.Options);
            if (parsed.Has(CommonOptions.Help.Name))
            {
                return Help(console, command.Name);
            }

            return await command.RunAsync(parsed, console, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            return Fail(console, ExitCodes.Usage, $"{(e.Message.StartsWith("samsa", StringComparison.Ordinal) ? "" : commandName + ": ")}{e.Message} (see '{commandName} --help')");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(console, ExitCodes.Interrupted, $"{commandName}: interrupted");
        }
        catch (KafkaException e)
        {
            return Fail(console, ExitCodes.Failure, $"{commandName}: {e.Message}");
        }
        catch (IOException e)
        {
            return Fail(console, ExitCodes.Failure, $"{commandName}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException or UnauthorizedAccessException)
        {
            // Never a stack trace: one line naming what went wrong.
            return Fail(console, ExitCodes.Failure, $"{commandName}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            FlushQuietly(console);
        }
    }

    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static ICommand? Find(string name)
    {
        foreach (ICommand c in Commands)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        return name == "-L" ? Find("metadata") : null;
    }

    private static int Fail(CliConsole console, int code, string message)
    {
        FlushQuietly(console);
        console.Error.WriteLine(message.ReplaceLineEndings(" "));
        return code;
    }

    private static void FlushQuietly(CliConsole console)
    {
        try
        {
            console.Out.Flush();
        }
        catch (IOException)
        {
            // stdout closed (e.g. piped into head): nothing more to say there.
        }
    }

    private static int Help(CliConsole console, string? topic)
    {
        TextWriter o = console.Out;
        ICommand? command = topic is null ? null : Find(topic);
        if (topic is not null && command is null)
        {
            throw new UsageException($"no help for unknown command '{topic}'");
        }

        if (command is null)
        {
            o.WriteLine($"samsa {Version}: Kafka from the command line (flags follow kcat's where kcat has them).");
            o.WriteLine();
            o.WriteLine("usage: samsa COMMAND [options]");
            o.WriteLine();
            foreach (ICommand c in Commands)
            {
                o.WriteLine($"  {c.Name,-10} {c.Summary}");
            }

            o.WriteLine();
            o.WriteLine("'samsa COMMAND --help' shows a command's options.");
            o.WriteLine("Exit codes: 0 ok, 1 failure (undelivered messages, failed operations, unreachable cluster),");
            o.WriteLine("            2 usage or configuration error, 130 interrupted.");
            return ExitCodes.Ok;
        }

        o.WriteLine("usage: " + command.Usage);
        o.WriteLine();
        o.WriteLine(command.Summary);
        o.WriteLine();
        foreach (OptionSpec spec in command.Options)
        {
            o.WriteLine($"  {spec.Display,-28} {spec.Help}");
        }

        return ExitCodes.Ok;
    }
}
