using Samsa.Bench.E2E;

// Two roles: the orchestrator (default; see Orchestrator) and, with "client" first, one client's process.
//   Samsa.Bench.E2E [--n 1000000] [--size 100] [--runs 3] [--partitions 256] [--clients a,b] [--c-dir DIR]
//                   [--benchmarks-md PATH] [--csv PATH] [--commit SHA]
//   Samsa.Bench.E2E client --client samsa-managed|confluent --phase produce|consume --bootstrap B --topic T ...
try
{
    if (args.Length > 0 && args[0] == "client")
    {
        var a = new BenchArgs(args.Skip(1));
        var w = Workload.From(a);
        string client = a.Require("client");
        bool produce = a.Require("phase") == "produce";
        Action<Workload> job = (client, produce) switch
        {
            (SamsaManagedClient.Name, true) => SamsaManagedClient.Produce,
            (SamsaManagedClient.Name, false) => SamsaManagedClient.Consume,
            (ConfluentClient.Name, true) => ConfluentClient.Produce,
            (ConfluentClient.Name, false) => ConfluentClient.Consume,
            _ => throw new ArgumentException($"Unknown client '{client}'."),
        };
        using AllocationSampler? sampler = AllocationSampler.StartIfAsked();
        job(w);
        sampler?.Report();
        return 0;
    }

    var options = new BenchArgs(args);
    var orchestrator = new Orchestrator(options);
    List<RunResult> results = await orchestrator.RunAsync();
    List<SummaryRow> rows = SummaryRow.Summarize(results, orchestrator.Info.Clients);
    string markdown = ResultsReport.Markdown(orchestrator.Info, rows, options.Get("commit", "unknown"));
    Console.WriteLine();
    Console.WriteLine(markdown);
    string md = options.Get("benchmarks-md", "");
    if (md.Length > 0)
    {
        ResultsReport.Splice(md, markdown);
        Console.WriteLine($"results written into {md}");
    }

    string csv = options.Get("csv", "");
    if (csv.Length > 0)
    {
        File.WriteAllText(csv, ResultsReport.Csv(rows));
    }

    return 0;
}
catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidOperationException or TimeoutException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}
