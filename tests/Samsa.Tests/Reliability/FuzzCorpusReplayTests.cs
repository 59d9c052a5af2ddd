using Samsa.Fuzz;
using Samsa.TestSupport;

namespace Samsa.Tests.Reliability;

/// <summary>
/// Replays every committed fuzz input (tests/Samsa.Fuzz/corpus: seeds; tests/Samsa.Fuzz/findings: what afl-fuzz
/// once crashed or hung on) through the same target code fuzz/run.sh runs under AFL, without AFL: a bug once found
/// stays fixed. The outcomes allowed are the targets' own (a decode, or the KafkaException family error the code
/// promises for bad bytes), within the same allocation bound; a hang fails after <see cref="FuzzLimits.HangTimeout"/>.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    public static TheoryData<string> Targets() => new(FuzzRunner.Names);

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryCommittedInputDecodesOrIsRejected(string name)
    {
        FuzzTarget target = FuzzRunner.Create(name) ?? throw new InvalidOperationException(name);
        List<string> corpus = Inputs("corpus", name);
        List<string> findings = Inputs("findings", name);
        // Guards against replaying nothing: every target has committed seeds.
        Assert.True(corpus.Count >= 3, $"only {corpus.Count} corpus inputs for {name}");

        var counts = new int[3];
        foreach (string file in corpus.Concat(findings))
        {
            counts[(int)RunBounded(target, file)]++;
        }

        // Valid seeds decode, so the replay runs through the decoders rather than stopping at their first check.
        Assert.True(counts[(int)FuzzOutcome.Decoded] >= 3, $"{name}: only {counts[(int)FuzzOutcome.Decoded]} inputs decoded");
    }

    [Fact]
    public void TheRunnerReportsAnAllocationOutOfProportion()
    {
        // The guard the fuzzer relies on to find counts trusted before they are checked must fire.
        var ex = Assert.Throws<FuzzFailure>(() => FuzzRunner.Run(new AllocatingTarget(), new byte[10]));
        Assert.Contains("allocated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTargetsLetAMalformedFrameFailOnlyAsAProtocolError()
    {
        // A Metadata v12 response cut after its header: rejected, not a crash; an unknown API key is ignored.
        var target = new ResponseTarget();
        byte[] cut = [.. ResponseTarget.Prefix(Samsa.Protocol.ApiKey.Metadata, 12), 0, 0, 0, 1, 0, 0, 0];
        Assert.Equal(FuzzOutcome.Rejected, FuzzRunner.Run(target, cut));
        Assert.Equal(FuzzOutcome.Ignored, FuzzRunner.Run(target, [0x7F, 0x00, 0, 0, 1, 2, 3]));
    }

    private static FuzzOutcome RunBounded(FuzzTarget target, string file)
    {
        byte[] input = File.ReadAllBytes(file);
        var run = Task.Run(() => FuzzRunner.Run(target, input));
        if (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(FuzzLimits.HangTimeout))
        {
            Assert.Fail($"{target.Name} {file}: no outcome within {FuzzLimits.HangTimeout.TotalSeconds} s (a hang)");
        }

        try
        {
            return run.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{target.Name} {file}: {ex.GetType().Name}: {ex.Message}{Environment.NewLine}{ex.StackTrace}");
        }
    }

    private static List<string> Inputs(string kind, string target)
    {
        string folder = Path.Combine(GoldenData.RepositoryRoot, "tests", "Samsa.Fuzz", kind, target);
        var files = new List<string>();
        if (Directory.Exists(folder))
        {
            foreach (string file in Directory.GetFiles(folder))
            {
                if (!Path.GetFileName(file).StartsWith("README", StringComparison.Ordinal))
                {
                    files.Add(file);
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private sealed class AllocatingTarget : FuzzTarget
    {
        public override string Name => "allocating";

        public override FuzzOutcome Execute(byte[] input) => new byte[1 << 20].Length > 0 ? FuzzOutcome.Decoded : FuzzOutcome.Ignored;

        public override long AllocationBound(int length) => FuzzLimits.AllocationPerInputByte * length;
    }
}
