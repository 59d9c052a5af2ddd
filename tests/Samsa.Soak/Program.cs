using System.Diagnostics;
using System.Globalization;
using Samsa;
using Samsa.Soak;
using Samsa.TestSupport;

// Soak harness (not a CI test): mixed produce / consume / group churn against the test cluster (or a given
// bootstrap), printing RSS, fd and thread counts every minute. Usage:
//   dotnet run --project tests/Samsa.Soak -c Release -- [--minutes 10] [--bootstrap host:port] [--rate 5000]
double minutes = 10;
string? bootstrap = null;
int rate = 5000;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--minutes": minutes = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--bootstrap": bootstrap = args[i + 1]; break;
        case "--rate": rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

TestCluster? cluster = null;
if (bootstrap is null)
{
    cluster = await TestCluster.StartAsync(3);
    await cluster.SetRebalanceDelayAsync(0);
    bootstrap = cluster.BootstrapServers;
}

try
{
    const int Partitions = 6;
    string topic = "soak-" + Guid.NewGuid().ToString("N")[..8];
    if (cluster is not null)
    {
        await cluster.CreateTopicAsync(topic, Partitions, replicationFactor: 3);
    }

    var run = new SoakRun(bootstrap, topic, Partitions, rate);
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
    Console.WriteLine($"soak: {minutes} min against {bootstrap}, topic {topic}, {rate} msg/s; start {ResourceSample.Take()}");
    Task work = run.RunAsync(stop.Token);
    var watch = Stopwatch.StartNew();
    int minute = 0;
    while (!work.IsCompleted)
    {
        Task tick = Task.Delay(TimeSpan.FromMinutes(1));
        if (await Task.WhenAny(work, tick) == tick)
        {
            minute++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"minute {minute,3}: {ResourceSample.Take()} | {run.Stats()}"));
        }
    }

    await work;
    GC.Collect();
    GC.WaitForPendingFinalizers();
    await Task.Delay(2000);
    Console.WriteLine($"end after {watch.Elapsed.TotalMinutes:F1} min: {ResourceSample.Take()} | {run.Stats()}");
    return run.Errors == 0 ? 0 : 1;
}
finally
{
    if (cluster is not null)
    {
        await cluster.DisposeAsync();
    }
}
