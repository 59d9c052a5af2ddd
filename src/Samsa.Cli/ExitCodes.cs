namespace Samsa.Cli;

/// <summary>The exit codes of every samsa command (documented in the README and in <c>samsa help</c>).</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Ok = 0;

    /// <summary>Something failed: a message not delivered, a topic not created, a broker unreachable.</summary>
    public const int Failure = 1;

    /// <summary>The command line or the configuration is wrong (unknown flag or property, bad value); nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (Ctrl-C / SIGTERM) before finishing.</summary>
    public const int Interrupted = 130;
}

/// <summary>A mistake in the command line or configuration: reported in one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
