using System.Diagnostics;
using System.Globalization;
using Samsa;
using Samsa.Soak;
using Samsa.TestSupport;

// Soak harness (not a CI test): mixed produce / consume / group churn against the test cluster (or a given
// bootstrap), printing each minute what the process holds (RSS and how it splits, fds, threads, GC heap and
// committed memory), the throughput, and the consumers' loss check. Usage:
//   dotnet run --project tests/Samsa.Soak -c Release -- [--minutes 10] [--bootstrap host:port] [--rate 5000] [--assignor Range|RoundRobin|CooperativeSticky] [--malloc-trim true]
// --malloc-trim true calls glibc's malloc_trim(0) after each minute's sample and prints what it gave back: a
// diagnostic of allocator retention, not something the client does. The last row ("trim") is always taken
// after a malloc_trim(0) at the end of the run.
double minutes = 10;
string? bootstrap = null;
int rate = 5000;
bool mallocTrim = false;
var assignor = PartitionAssignmentStrategy.Range; // the client's default (eager); --assignor CooperativeSticky for incremental rebalances
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--minutes": minutes = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--bootstrap": bootstrap = args[i + 1]; break;
        case "--rate": rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--assignor": assignor = Enum.Parse<PartitionAssignmentStrategy>(args[i + 1], ignoreCase: true); break;
        case "--malloc-trim": mallocTrim = bool.Parse(args[i + 1]); break;
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

    using var census = new MeterCensus();
    var run = new SoakRun(bootstrap, topic, Partitions, rate, assignor);
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
    ResourceSample start = ResourceSample.Take();
    Console.WriteLine($"soak: {minutes} min against {bootstrap}, topic {topic}, {rate} msg/s, {assignor}, pid {Environment.ProcessId}, " +
        $"server GC {System.Runtime.GCSettings.IsServerGC}, {Environment.ProcessorCount} cpus");
    Console.WriteLine(RunEnvironment.Describe());
    Console.WriteLine("memory in MiB; m-use/m-free: glibc malloc in live allocations / free but kept in its arenas; heap/g0-poh: GC sizes after the last collection; commit: GC committed; pool: LargeArrayPool cached");
    Console.WriteLine("pq: messages in the producer's queue; pb: free batches its pool keeps, pbM: the MiB they hold; meters: live Samsa instruments; " +
        "conns: open broker connections; load: 1-minute load average");
    Console.WriteLine(ResourceSample.Header + " | prod/min cons/min |     pq   pb  pbM | meters conns | load | loss check");
    Console.WriteLine(Row("start", start, start, 0, 0));
    Task work = run.RunAsync(stop.Token);
    var watch = Stopwatch.StartNew();
    int minute = 0;
    ResourceSample previous = start;
    long producedBefore = 0, consumedBefore = 0;
    while (!work.IsCompleted)
    {
        Task tick = Task.Delay(TimeSpan.FromMinutes(1));
        if (await Task.WhenAny(work, tick) == tick)
        {
            minute++;
            ResourceSample now = ResourceSample.Take();
            long produced = run.Produced, consumed = run.Consumed;
            Console.WriteLine(Row(minute.ToString(CultureInfo.InvariantCulture), now, previous, produced - producedBefore, consumed - consumedBefore));
            if (mallocTrim)
            {
                NativeHeap.Trim();
                ResourceSample trimmed = ResourceSample.Take();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"      malloc_trim(0): rss {now.RssKiB / 1024.0:F1} -> {trimmed.RssKiB / 1024.0:F1}, anon {now.AnonKiB / 1024.0:F1} -> {trimmed.AnonKiB / 1024.0:F1} MiB"));
            }
            (previous, producedBefore, consumedBefore) = (now, produced, consumed);
        }
    }

    await work;
    Console.WriteLine(Row("drain", ResourceSample.Take(), previous, run.Produced - producedBefore, run.Consumed - consumedBefore));
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    await Task.Delay(2000);
    Console.WriteLine(Row("end", ResourceSample.Take(), previous, 0, 0));

    // After the run, so that the series is undisturbed: how much of the native memory was free memory that
    // glibc kept (given back by malloc_trim) rather than memory in use.
    NativeHeap.Trim();
    Console.WriteLine(Row("trim", ResourceSample.Take(), previous, 0, 0));
    Console.WriteLine($"end after {watch.Elapsed.TotalMinutes:F1} min: {run.Stats()}");
    Console.WriteLine(run.PerPartition());
    var check = run.Check();
    bool lossless = run.Drained && check.Missing == 0 && check.Holes == 0 && check.WrongValues == 0;
    Console.WriteLine(!lossless
        ? $"loss check: FAILED (drained={run.Drained}, {run.CheckText()}, offset resets={run.Log.Count(SoakLog.OffsetResetEvent)})"
        : check.Trimmed == 0
            ? $"loss check: passed (every acknowledged offset consumed, {check.Duplicates} redelivered after rebalances)"
            : $"loss check: passed for what the cluster kept; {check.Trimmed} offsets were deleted by the cluster before the consumers got there " +
              $"({run.Log.Count(SoakLog.OffsetResetEvent)} offset resets), {check.Duplicates} redelivered after rebalances");
    return run.Errors == 0 && lossless ? 0 : 1;

    string Row(string label, ResourceSample now, ResourceSample before, long produced, long consumed) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{now.Row(label, before)} | {produced,8} {consumed,8} | {run.ProducerQueue,6} {run.PooledBatches,4} {PoolMiB(run.PooledBytes),4} | " +
            $"{census.Instruments,6} {census.OpenConnections,5} | {RunEnvironment.Load1(),4} | {run.CheckText()}");

    static string PoolMiB(long bytes) => bytes < 0 ? "-" : (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture);
}
finally
{
    if (cluster is not null)
    {
        await cluster.DisposeAsync();
    }
}
