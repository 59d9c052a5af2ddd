using System.Globalization;
using System.Text;

namespace Samsa.TestCluster.Control;

/// <summary>
/// The control channel's line protocol: one command per line, answered by exactly one line, <c>OK [data]</c>
/// or <c>ERR message</c>. Tokens are separated by spaces; errors are decimal numbers or librdkafka names
/// (e.g. NOT_COORDINATOR, _TRANSPORT); API keys are decimal numbers. Used by the host process and, for
/// <c>samsa mock</c>, in-process by the CLI.
/// </summary>
public sealed class MockCommandInterpreter
{
    private delegate string? Handler(MockCluster cluster, string[] args);

    private sealed record Command(string Usage, int MinArgs, int MaxArgs, Handler Run);

    private static readonly Dictionary<string, Command> Commands = BuildCommands();

    private readonly MockCluster _cluster;

    public MockCommandInterpreter(MockCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
    }

    /// <summary>Set once a <c>quit</c> command has been answered.</summary>
    public bool QuitRequested { get; private set; }

    /// <summary>Every command's usage, one per entry.</summary>
    public static IEnumerable<string> Usages => Commands.Values.Select(c => c.Usage);

    /// <summary>Runs one command line and returns the single response line. Never throws.</summary>
    public string Execute(string line)
    {
        string[] tokens = (line ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tokens.Length == 0)
        {
            return "ERR empty command (try 'help')";
        }

        string name = tokens[0].ToLowerInvariant();
        if (name == "quit" || name == "exit")
        {
            QuitRequested = true;
            return "OK bye";
        }

        if (!Commands.TryGetValue(name, out Command? command))
        {
            return OneLine($"ERR unknown command '{tokens[0]}' (try 'help')");
        }

        string[] args = tokens[1..];
        if (args.Length < command.MinArgs || args.Length > command.MaxArgs)
        {
            return OneLine("ERR usage: " + command.Usage);
        }

        try
        {
            string? data = command.Run(_cluster, args);
            return OneLine(string.IsNullOrEmpty(data) ? "OK" : "OK " + data);
        }
        catch (MockClusterException e) when (e.ErrorCode != 0)
        {
            return OneLine($"ERR {MockErrors.Describe(e.ErrorCode)}");
        }
        catch (FormatException e)
        {
            return OneLine($"ERR {e.Message} (usage: {command.Usage})");
        }
        catch (Exception e) when (e is ArgumentException or MockClusterException or ObjectDisposedException)
        {
            return OneLine("ERR " + e.Message);
        }
    }

    private static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
            : text;

    private static Dictionary<string, Command> BuildCommands()
    {
        var d = new Dictionary<string, Command>(StringComparer.Ordinal)
        {
            ["ping"] = new("ping", 0, 0, (_, _) => "pong"),
            ["bootstrap"] = new("bootstrap", 0, 0, (c, _) => c.BootstrapServers),
            ["brokers"] = new("brokers", 0, 0, (c, _) => FormatBrokers(c)),
            ["create-topic"] = new("create-topic NAME PARTITIONS [RF]", 2, 3, (c, a) =>
            {
                c.CreateTopic(a[0], Int(a[1], "PARTITIONS"), a.Length > 2 ? Int(a[2], "RF") : 1);
                return null;
            }),
            ["delete-topic"] = new("delete-topic NAME", 1, 1, (c, a) => { c.DeleteTopic(a[0]); return null; }),
            ["topic-error"] = new("topic-error NAME ERR", 2, 2, (c, a) => { c.SetTopicError(a[0], Error(a[1])); return null; }),
            ["broker-down"] = new("broker-down BROKER", 1, 1, (c, a) => { c.SetBrokerDown(Int(a[0], "BROKER")); return null; }),
            ["broker-up"] = new("broker-up BROKER", 1, 1, (c, a) => { c.SetBrokerUp(Int(a[0], "BROKER")); return null; }),
            ["leader"] = new("leader TOPIC PARTITION BROKER|-1", 3, 3, (c, a) =>
            {
                c.SetPartitionLeader(a[0], Int(a[1], "PARTITION"), Int(a[2], "BROKER"));
                return null;
            }),
            ["follower"] = new("follower TOPIC PARTITION BROKER", 3, 3, (c, a) =>
            {
                c.SetPartitionFollower(a[0], Int(a[1], "PARTITION"), Int(a[2], "BROKER"));
                return null;
            }),
            ["follower-wmarks"] = new("follower-wmarks TOPIC PARTITION LOW HIGH", 4, 4, (c, a) =>
            {
                c.SetPartitionFollowerWatermarks(a[0], Int(a[1], "PARTITION"), Long(a[2], "LOW"), Long(a[3], "HIGH"));
                return null;
            }),
            ["delete-records"] = new("delete-records TOPIC PARTITION BEFORE_OFFSET", 3, 3, (c, a) =>
            {
                c.DeletePartitionRecords(a[0], Int(a[1], "PARTITION"), Long(a[2], "BEFORE_OFFSET"));
                return null;
            }),
            ["push-errors"] = new("push-errors APIKEY ERR [ERR...]", 2, 1000, (c, a) =>
            {
                int[] errors = new int[a.Length - 1];
                for (int i = 1; i < a.Length; i++)
                {
                    errors[i - 1] = Error(a[i]);
                }

                c.PushRequestErrors(Short(a[0], "APIKEY"), errors);
                return null;
            }),
            ["clear-errors"] = new("clear-errors APIKEY", 1, 1, (c, a) => { c.ClearRequestErrors(Short(a[0], "APIKEY")); return null; }),
            ["push-broker-error-rtts"] = new("push-broker-error-rtts BROKER APIKEY ERR:RTT_MS [ERR:RTT_MS...]", 3, 1000, (c, a) =>
            {
                var errors = new MockErrorRtt[a.Length - 2];
                for (int i = 2; i < a.Length; i++)
                {
                    int colon = a[i].LastIndexOf(':');
                    if (colon <= 0)
                    {
                        throw new FormatException($"'{a[i]}' is not ERR:RTT_MS");
                    }

                    errors[i - 2] = new MockErrorRtt(Error(a[i][..colon]), Int(a[i][(colon + 1)..], "RTT_MS"));
                }

                c.PushBrokerRequestErrorRtts(Int(a[0], "BROKER"), Short(a[1], "APIKEY"), errors);
                return null;
            }),
            ["broker-errors"] = new("broker-errors BROKER APIKEY", 2, 2, (c, a) =>
                c.BrokerErrorStackCount(Int(a[0], "BROKER"), Short(a[1], "APIKEY")).ToString(CultureInfo.InvariantCulture)),
            ["rtt"] = new("rtt BROKER MS", 2, 2, (c, a) => { c.SetBrokerRtt(Int(a[0], "BROKER"), Int(a[1], "MS")); return null; }),
            ["rack"] = new("rack BROKER RACK", 2, 2, (c, a) => { c.SetBrokerRack(Int(a[0], "BROKER"), a[1]); return null; }),
            ["coordinator"] = new("coordinator group|transaction KEY BROKER", 3, 3, (c, a) =>
            {
                c.SetCoordinator(a[0], a[1], Int(a[2], "BROKER"));
                return null;
            }),
            ["rebalance-delay"] = new("rebalance-delay MS", 1, 1, (c, a) => { c.SetGroupInitialRebalanceDelay(Int(a[0], "MS")); return null; }),
            ["apiversion"] = new("apiversion APIKEY MIN MAX (-1 -1 disables the API)", 3, 3, (c, a) =>
            {
                c.SetApiVersion(Short(a[0], "APIKEY"), Short(a[1], "MIN"), Short(a[2], "MAX"));
                return null;
            }),
            ["host-port"] = new("host-port BROKER HOST PORT", 3, 3, (c, a) =>
            {
                c.SetBrokerHostPort(Int(a[0], "BROKER"), a[1], Int(a[2], "PORT"));
                return null;
            }),
            ["controller"] = new("controller BROKER|-1", 1, 1, (c, a) => { c.SetControllerId(Int(a[0], "BROKER")); return null; }),
            ["track"] = new("track start|stop|clear", 1, 1, (c, a) => Track(c, a[0])),
            ["requests"] = new("requests", 0, 0, (c, _) => FormatRequests(c.GetRequests())),
        };
        d["help"] = new("help", 0, 0, (_, _) => "commands: " + string.Join(" | ", d.Values.Select(c => c.Usage)) + " | quit");
        return d;
    }

    private static string? Track(MockCluster cluster, string action)
    {
        switch (action)
        {
            case "start":
                cluster.StartRequestTracking();
                return null;
            case "stop":
                cluster.StopRequestTracking();
                return null;
            case "clear":
                cluster.ClearRequests();
                return null;
            default:
                throw new FormatException($"track takes start, stop or clear, not '{action}'");
        }
    }

    /// <summary><c>COUNT BROKER:APIKEY:TIMESTAMP_US ...</c>, in arrival order.</summary>
    private static string FormatRequests(IReadOnlyList<MockRequest> requests)
    {
        var sb = new StringBuilder();
        sb.Append(requests.Count);
        foreach (MockRequest r in requests)
        {
            sb.Append(' ').Append(r.BrokerId).Append(':').Append(r.ApiKey).Append(':').Append(r.TimestampMicros);
        }

        return sb.ToString();
    }

    /// <summary><c>1=host:port 2=host:port ...</c></summary>
    private static string FormatBrokers(MockCluster cluster)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < cluster.BrokerAddresses.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(i + 1).Append('=').Append(cluster.BrokerAddresses[i]);
        }

        return sb.ToString();
    }

    private static int Int(string text, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new FormatException($"{what} must be an integer, not '{text}'");

    private static short Short(string text, string what) =>
        short.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out short v)
            ? v
            : throw new FormatException($"{what} must be a 16-bit integer, not '{text}'");

    private static long Long(string text, string what) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new FormatException($"{what} must be an integer, not '{text}'");

    private static int Error(string text) =>
        MockErrors.TryParse(text, out int code)
            ? code
            : throw new FormatException($"'{text}' is neither an error number nor a librdkafka error name");
}
