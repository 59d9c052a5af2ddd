using Samsa.Cli.Args;
using Samsa.Cli.Output;

namespace Samsa.Cli.Commands;

/// <summary>An admin client built from a command's -b/-X/-F flags, with its log on stderr.</summary>
internal sealed class AdminSession : IAsyncDisposable
{
    private readonly StderrLoggerFactory _logs;

    private AdminSession(AdminClient client, StderrLoggerFactory logs)
    {
        Client = client;
        _logs = logs;
    }

    public AdminClient Client { get; }

    public static AdminSession Open(ParsedArgs args, CliConsole console)
    {
        ClientProperties properties = ClientProperties.From(args);
        properties.RequireBrokers(args.Command);
        AdminConfig config = properties.Admin();
        var logs = new StderrLoggerFactory(console.Error, properties.LogLevel);
        return new AdminSession(new AdminClient(config, logs), logs);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        _logs.Dispose();
    }
}
