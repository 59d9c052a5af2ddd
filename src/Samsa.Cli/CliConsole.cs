using System.Text;

namespace Samsa.Cli;

/// <summary>
/// Where a command reads and writes: the process's stdin/stdout/stderr, or (in tests) in-memory streams.
/// Binary output (consumed values) goes to <see cref="OutStream"/>; text output to <see cref="Out"/>, which
/// writes to the same stream (flush it before writing bytes directly).
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(Stream input, Stream output, TextWriter error, bool outputIsTerminal, bool errorIsTerminal)
    {
        In = input;
        OutStream = output;
        Out = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { AutoFlush = false, NewLine = "\n" };
        Error = error;
        OutputIsTerminal = outputIsTerminal;
        ErrorIsTerminal = errorIsTerminal;
    }

    public Stream In { get; }

    public Stream OutStream { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool OutputIsTerminal { get; }

    /// <summary>Progress bars are drawn only when stderr is a terminal.</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>The process's own console.</summary>
    public static CliConsole System()
    {
        var error = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        return new CliConsole(Console.OpenStandardInput(), Console.OpenStandardOutput(), error,
            !Console.IsOutputRedirected, !Console.IsErrorRedirected);
    }
}
