using Samsa.Cli.Args;

namespace Samsa.Cli.Commands;

/// <summary>A samsa command: its name, options, help, and what it does.</summary>
internal interface ICommand
{
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>The synopsis line(s), e.g. "samsa produce -b BROKERS -t TOPIC [options]".</summary>
    string Usage { get; }

    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Runs the command; returns the exit code. Usage mistakes are thrown as <see cref="UsageException"/>.</summary>
    Task<int> RunAsync(ParsedArgs args, CliConsole console, CancellationToken cancellationToken);
}
