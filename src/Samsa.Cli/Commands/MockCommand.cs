using System.Text;
using Samsa.Cli.Args;
using Samsa.TestCluster;
using Samsa.TestCluster.Control;

namespace Samsa.Cli.Commands;

/// <summary>
/// samsa mock: the embedded test cluster (librdkafka's mock brokers) in this process. Prints the bootstrap list
/// and runs until interrupted; with --control, speaks the test cluster host's line protocol on stdin/stdout
/// ("BOOTSTRAP host:port,..." first, then one answer per command line) and stops at the end of stdin.
/// </summary>
internal sealed class MockCommand : ICommand
{
    private static readonly OptionSpec Brokers = new(null, "brokers", "N", $"Number of brokers, 1 to {MockCluster.MaxBrokers} (default 3)");
    private static readonly OptionSpec Topic = new(null, "topic", "NAME:PARTITIONS[:RF]", "Create a topic at start-up", Repeatable: true);
    private static readonly OptionSpec Control = new(null, "control", null, "Read control commands on stdin (the test cluster host's protocol)");

    public string Name => "mock";

    public string Summary => "Run an embedded mock Kafka cluster (for trying things out) until interrupted.";

    public string Usage => "samsa mock [--brokers N] [--topic NAME:PARTITIONS[:RF]]... [--control]";

    public IReadOnlyList<OptionSpec> Options { get; } = [Brokers, Topic, Control, CommonOptions.Help];

    public async Task<int> RunAsync(ParsedArgs args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        }

        int brokers = args.GetInt(Brokers.Name, "--brokers", 1, MockCluster.MaxBrokers) ?? 3;
        var topics = new List<TopicSpec>();
        foreach (string spec in args.All(Topic.Name))
        {
            try
            {
                topics.Add(TopicSpec.Parse(spec));
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
        }

        MockCluster cluster;
        try
        {
            cluster = MockCluster.Create(brokers, [new("client.id", "samsa-mock")]);
        }
        catch (Exception e) when (e is MockClusterException or FileNotFoundException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            console.Error.WriteLine($"{args.Command}: could not start the mock cluster: {e.Message}");
            return ExitCodes.Failure;
        }

        using (cluster)
        {
            try
            {
                foreach (TopicSpec t in topics)
                {
                    cluster.CreateTopic(t.Name, t.Partitions, t.ReplicationFactor);
                }
            }
            catch (Exception e) when (e is MockClusterException or ArgumentException)
            {
                console.Error.WriteLine($"{args.Command}: could not create the topics: {e.Message}");
                return ExitCodes.Failure;
            }

            if (args.Has(Control.Name))
            {
                return await ServeControlAsync(cluster, console, cancellationToken).ConfigureAwait(false);
            }

            console.Out.WriteLine(cluster.BootstrapServers);
            console.Out.Flush();
            console.Error.WriteLine($"samsa mock: {brokers} brokers at {cluster.BootstrapServers}; press Ctrl-C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Interrupting is how a mock cluster ends.
            }

            return ExitCodes.Ok;
        }
    }

    private static async Task<int> ServeControlAsync(MockCluster cluster, CliConsole console, CancellationToken cancellationToken)
    {
        var interpreter = new MockCommandInterpreter(cluster);
        using var reader = new StreamReader(console.In, Encoding.UTF8, false, 4096, leaveOpen: true);
        console.Out.WriteLine("BOOTSTRAP " + cluster.BootstrapServers);
        console.Out.Flush();
        try
        {
            while (!interpreter.QuitRequested && await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                console.Out.WriteLine(interpreter.Execute(line));
                console.Out.Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Interrupted: stop like at the end of stdin.
        }
        catch (IOException)
        {
            // The parent closed our stdout: it is gone.
        }

        return ExitCodes.Ok;
    }
}
