namespace Samsa.Bench.E2E;

/// <summary>
/// One client process's job, from its arguments: produce <see cref="Messages"/> values of <see cref="Size"/>
/// bytes to a topic, or consume a topic's <see cref="Partitions"/> partitions from the beginning. The client
/// properties are the same for every client (<see cref="ProducerProperties"/>, <see cref="ConsumerProperties"/>).
/// </summary>
internal sealed record Workload(string Bootstrap, string Topic, int Partitions, long Messages, int Size, int IdleMs, string Profile, string ExtraConsumerProperties)
{
    public static Workload From(BenchArgs a) => new(
        a.Require("bootstrap"), a.Require("topic"), a.GetInt("partitions", 256), a.GetLong("n", 1_000_000),
        a.GetInt("size", 100), a.GetInt("idle-ms", 5000), a.Get("profile", "default"), a.Get("consumer-props", ""));

    /// <summary>No key, acks=all, idempotence on, linger.ms=5; everything else at the client's default.</summary>
    public IEnumerable<KeyValuePair<string, string>> ProducerProperties() =>
    [
        new("bootstrap.servers", Bootstrap),
        new("acks", "all"),
        new("enable.idempotence", "true"),
        new("linger.ms", "5"),
    ];

    /// <summary>
    /// Explicit assignment (the group id is only there because Confluent.Kafka requires one; nothing is
    /// committed). The "fast" profile adds librdkafka's high-throughput fetch settings.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> ConsumerProperties()
    {
        var p = new List<KeyValuePair<string, string>>
        {
            new("bootstrap.servers", Bootstrap),
            new("group.id", "bench-" + Topic),
            new("enable.auto.commit", "false"),
            new("auto.offset.reset", "earliest"),
        };
        if (Profile == "fast")
        {
            p.AddRange(FastFetchProperties);
        }

        // --consumer-props "name=value;...": given to every client alike (experiments such as memory budgets).
        foreach (string pair in ExtraConsumerProperties.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            p.Add(eq > 0 ? new(pair[..eq], pair[(eq + 1)..]) : throw new ArgumentException($"--consumer-props: '{pair}' is not name=value."));
        }

        return p;
    }

    /// <summary>librdkafka's high-throughput fetch settings (also in bench/c/bench.c).</summary>
    public static readonly KeyValuePair<string, string>[] FastFetchProperties =
    [
        new("fetch.queue.backoff.ms", "0"),
        new("fetch.wait.max.ms", "200"),
        new("fetch.max.bytes", "67108864"),
        new("receive.message.max.bytes", "68000000"),
        new("max.partition.fetch.bytes", "4194304"),
    ];
}
