using Samsa.TestCluster;
using Samsa.TestCluster.Control;

// The test cluster host: runs librdkafka's mock cluster in this process (the mock aborts its process on some
// malformed requests, so it must not share one with tests), prints "BOOTSTRAP host:port,..." when ready, then
// answers one line per command read on stdin. End of stdin means the parent is gone: shut down, never linger.

HostOptions options;
try
{
    options = HostOptions.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(HostOptions.Usage);
    return 2;
}

var properties = new List<KeyValuePair<string, string>> { new("client.id", "samsa-test-cluster") };
string? debug = Environment.GetEnvironmentVariable("SAMSA_MOCK_DEBUG");
if (!string.IsNullOrWhiteSpace(debug))
{
    properties.Add(new("debug", debug)); // e.g. "mock" to log every request the brokers see (on stderr)
}

MockCluster cluster;
try
{
    cluster = MockCluster.Create(options.Brokers, properties);
    foreach (TopicSpec topic in options.Topics)
    {
        cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor);
    }
}
catch (Exception e) when (e is MockClusterException or ArgumentException or IOException or DllNotFoundException or EntryPointNotFoundException)
{
    Console.Error.WriteLine($"error: could not start the mock cluster: {e.Message}");
    return 1;
}

using (cluster)
{
    var interpreter = new MockCommandInterpreter(cluster);
    try
    {
        Console.Out.WriteLine("BOOTSTRAP " + cluster.BootstrapServers);
        Console.Out.Flush();
        while (!interpreter.QuitRequested && Console.In.ReadLine() is { } line)
        {
            Console.Out.WriteLine(interpreter.Execute(line));
            Console.Out.Flush();
        }
    }
    catch (IOException)
    {
        // The parent closed our stdout: it is gone, so shut down.
    }
}

return 0;
