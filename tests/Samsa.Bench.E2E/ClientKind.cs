namespace Samsa.Bench.E2E;

/// <summary>A client under test: how to start its process, and the consume profiles it runs.</summary>
internal sealed record ClientKind(string Id, string Label, string Executable, string[] ArgsPrefix, string[] ConsumeProfiles)
{
    /// <summary>The four clients, in the order of the first run (later runs rotate it).</summary>
    public static List<ClientKind> All(string cDirectory)
    {
        string self = Path.Combine(AppContext.BaseDirectory, "Samsa.Bench.E2E");
        return
        [
            new(SamsaManagedClient.Name, "Samsa.Managed", self, ["client", "--client", SamsaManagedClient.Name], ["default"]),
            new(ConfluentClient.Name, "Confluent.Kafka", self, ["client", "--client", ConfluentClient.Name], ["default"]),
            new("libsamsa", "libsamsa", Path.Combine(cDirectory, "bench-samsa"), [], ["default"]),
            new("librdkafka", "librdkafka", Path.Combine(cDirectory, "bench-rdkafka"), [], ["default", "fast"]),
        ];
    }

    /// <summary>The row label of a phase: "librdkafka (fast fetch)" for the fast consume profile.</summary>
    public static string RowLabel(string label, string phase) => phase == "consume-fast" ? label + " (fast fetch)" : label;
}
