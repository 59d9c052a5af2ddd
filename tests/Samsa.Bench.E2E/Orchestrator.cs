using System.Globalization;
using Samsa.TestSupport;

namespace Samsa.Bench.E2E;

/// <summary>
/// Starts the test cluster (its own process), then for each run and each client in turn (the order rotates
/// every run): creates a fresh topic, runs the client's produce process, then its consume process(es), and
/// deletes the topic. Returns every RESULT.
/// </summary>
internal sealed class Orchestrator(BenchArgs args)
{
    private readonly int _runs = args.GetInt("runs", 3);
    private readonly long _messages = args.GetLong("n", 1_000_000);
    private readonly int _size = args.GetInt("size", 100);
    private readonly int _partitions = args.GetInt("partitions", 256);
    private readonly int _brokers = args.GetInt("brokers", 3);
    private readonly TimeSpan _timeout = TimeSpan.FromMinutes(args.GetInt("timeout-min", 15));

    public BenchInfo Info { get; private set; } = null!;

    public async Task<List<RunResult>> RunAsync()
    {
        List<ClientKind> clients = SelectClients();
        Info = new BenchInfo(_messages, _size, _partitions, _brokers, _runs, LoadAverage.Read(), "", clients, args.Get("consumer-props", ""));
        Console.WriteLine($"E2E benchmark: {_runs} run(s) of {_messages:N0} messages x {_size} B, {_partitions} partitions, {_brokers} brokers; load {Info.LoadBefore}");
        var results = new List<RunResult>();
        await using TestCluster cluster = await TestCluster.StartAsync(_brokers, null, TimeSpan.FromSeconds(60), CancellationToken.None);
        cluster.CommandTimeout = TimeSpan.FromSeconds(60);
        Console.WriteLine($"test cluster: {cluster.BootstrapServers}");
        for (int run = 1; run <= _runs; run++)
        {
            for (int k = 0; k < clients.Count; k++)
            {
                ClientKind client = clients[(k + run - 1) % clients.Count];
                string topic = string.Create(CultureInfo.InvariantCulture, $"bench-{client.Id}-{run}-{Guid.NewGuid():N}")[..40];
                await cluster.CreateTopicAsync(topic, _partitions, 1);
                try
                {
                    RunResult? produced = RunChild(client, "produce", "default", topic, run, _messages, cluster.BootstrapServers);
                    if (produced is null)
                    {
                        continue;
                    }

                    results.Add(produced);
                    foreach (string profile in client.ConsumeProfiles)
                    {
                        RunResult? consumed = RunChild(client, "consume", profile, topic, run, produced.Messages, cluster.BootstrapServers);
                        if (consumed is not null)
                        {
                            results.Add(consumed);
                        }
                    }
                }
                finally
                {
                    await cluster.DeleteTopicAsync(topic); // the mock keeps everything in memory
                }
            }
        }

        Info = Info with { LoadAfter = LoadAverage.Read() };
        Console.WriteLine($"load after: {Info.LoadAfter}");
        return results;
    }

    private RunResult? RunChild(ClientKind client, string phase, string profile, string topic, int run, long messages, string bootstrap)
    {
        string[] childArgs =
        [
            .. client.ArgsPrefix, "--phase", phase, "--profile", profile, "--bootstrap", bootstrap, "--topic", topic,
            "--partitions", I(_partitions), "--n", messages.ToString(CultureInfo.InvariantCulture), "--size", I(_size),
            "--idle-ms", args.Get("idle-ms", "5000"), "--consumer-props", args.Get("consumer-props", ""),
        ];
        RunResult? r = ChildRunner.Run(client.Executable, childArgs, run, _timeout);
        if (r is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {run} {ClientKind.RowLabel(client.Label, r.Phase),-26} {r.Phase,-15} {r.Messages,10:N0} msgs {r.MessagesPerSecond,12:N0} msg/s {r.MegabytesPerSecond,7:F1} MB/s cpu {r.CpuSeconds,6:F2} s rss {r.RssMegabytes,6:F1} MB errors {r.Errors}"));
        }

        return r;

        static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    }

    private List<ClientKind> SelectClients()
    {
        List<ClientKind> all = ClientKind.All(args.Get("c-dir", Path.Combine("bench", "c", "build")));
        string wanted = args.Get("clients", string.Join(',', all.Select(c => c.Id)));
        var chosen = new List<ClientKind>();
        foreach (string id in wanted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ClientKind c = all.Find(c => c.Id == id) ?? throw new ArgumentException($"Unknown client '{id}' (known: {string.Join(", ", all.Select(c => c.Id))}).");
            if (!File.Exists(c.Executable))
            {
                throw new FileNotFoundException($"The {c.Label} client program {c.Executable} is missing (bench/run.sh builds it).");
            }

            chosen.Add(c);
        }

        return chosen;
    }
}
