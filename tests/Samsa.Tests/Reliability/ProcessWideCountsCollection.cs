namespace Samsa.Tests.Reliability;

/// <summary>
/// Tests that count the whole process's file descriptors and threads: they run alone, after the parallel tests,
/// so other tests' sockets and threads do not count against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCountsCollection
{
    public const string Name = "Process-wide resource counts";
}
