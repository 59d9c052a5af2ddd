namespace Samsa.Bench.E2E;

/// <summary>The parameters of a benchmark run, printed with its results.</summary>
internal sealed record BenchInfo(long Messages, int Size, int Partitions, int Brokers, int Runs, string LoadBefore, string LoadAfter, List<ClientKind> Clients, string ExtraConsumerProperties);
