using CsCheck;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Tests.Protocol;

namespace Samsa.Tests.Reliability;

/// <summary>
/// Property: every response decoder (each API key at each version it supports, read through the generated
/// <see cref="MessageCatalog"/>) given truncated, mutated or random bytes either decodes a message or throws a
/// <see cref="ProtocolException"/>; never another exception, never a hang, never an allocation out of proportion
/// to the frame (a count of 2^31 in a 20-byte frame must fail before allocating).
/// </summary>
public sealed class HostileResponseDecodingTests
{
    /// <summary>
    /// Allocation allowed per frame byte. Decoding builds an object graph: an element that takes one byte on the
    /// wire may be a class with a few empty lists, so tens of bytes per frame byte are honest (the generated decoders stay under 48); a count
    /// trusted before it is checked allocates gigabytes, far past this.
    /// </summary>
    internal const int AllocationPerFrameByte = 64;

    internal const int AllocationSlack = 16 * 1024;

    private static readonly (ApiKey Key, short Version)[] Targets = AllTargets();

    private static readonly Lazy<byte[][][]> ValidFrames = new(BuildValidFrames);

    static HostileResponseDecodingTests()
    {
        // Warm every decoder once (JIT, static initializers) so that the allocation bound measures decoding only.
        for (int t = 0; t < Targets.Length; t++)
        {
            var reader = new ProtocolReader(ValidFrames.Value[t][0]);
            _ = MessageCatalog.ReadResponse(Targets[t].Key, ref reader, Targets[t].Version);
        }
    }

    private static (ApiKey, short)[] AllTargets()
    {
        var targets = new List<(ApiKey, short)>();
        foreach (ApiKey key in MessageCatalog.ApiKeys)
        {
            var (lowest, highest) = MessageCatalog.Versions(key);
            for (short v = lowest; v <= highest; v++)
            {
                targets.Add((key, v));
            }
        }

        return [.. targets];
    }

    /// <summary>Four filled responses per (key, version), encoded: the raw material for mutations.</summary>
    private static byte[][][] BuildValidFrames()
    {
        var frames = new byte[Targets.Length][][];
        for (int t = 0; t < Targets.Length; t++)
        {
            var (key, version) = Targets[t];
            frames[t] = new byte[4][];
            for (int s = 0; s < 4; s++)
            {
                var message = (IKafkaMessage)new MessageFiller(s * 7919 + t).Create(MessageCatalog.ResponseType(key));
                frames[t][s] = MessageRoundTripTests.Encode(message, version);
            }
        }

        return frames;
    }

    [Fact]
    public void TheCatalogCoversManyKeysAndVersions()
    {
        // Guards the property below against silently iterating nothing.
        Assert.True(MessageCatalog.ApiKeys.Count > 50, $"only {MessageCatalog.ApiKeys.Count} API keys");
        Assert.True(Targets.Length > 250, $"only {Targets.Length} (key, version) pairs");
        foreach (byte[][] frames in ValidFrames.Value)
        {
            Assert.All(frames, f => Assert.NotNull(f));
        }
    }

    [Fact]
    public void ValidFramesDecode()
    {
        // The unmutated material decodes, so the property is exercised on frames a decoder accepts.
        for (int t = 0; t < Targets.Length; t++)
        {
            foreach (byte[] frame in ValidFrames.Value[t])
            {
                Assert.True(Decode(Targets[t].Key, Targets[t].Version, frame), $"{Targets[t]} rejected its own encoding");
            }
        }
    }

    [Fact]
    public void MutatedFramesDecodeOrFailWithAProtocolError()
    {
        int rejected = 0;
        RunBounded(() =>
            Gen.Select(Gen.Int[0, Targets.Length - 1], Gen.Int[0, 3], Gen.Int).Sample(
                t =>
                {
                    var (target, which, seed) = t;
                    byte[] frame = HostileBytes.Mutate(ValidFrames.Value[target][which], seed);
                    if (!Decode(Targets[target].Key, Targets[target].Version, frame))
                    {
                        Interlocked.Increment(ref rejected);
                    }
                },
                iter: 60_000,
                seed: "0N0XIzNsQ0O2",
                print: t => $"{Targets[t.Item1]} frame {t.Item2} mutation seed {t.Item3}"));

        // Most damage must be noticed, or the property is not testing the checks.
        Assert.True(rejected > 10_000, $"only {rejected} of 60000 mutated frames were rejected");
    }

    [Fact]
    public void EveryTruncationOfEveryVersionIsAProtocolError()
    {
        for (int t = 0; t < Targets.Length; t++)
        {
            var (key, version) = Targets[t];
            byte[] full = ValidFrames.Value[t][1];
            for (int cut = 0; cut < full.Length; cut++)
            {
                // A prefix may be a complete, shorter message only if it decodes; then fewer bytes were consumed.
                if (DecodeConsumed(key, version, full.AsSpan(0, cut).ToArray()) is int consumed)
                {
                    Assert.True(consumed <= cut, $"{key} v{version} cut at {cut}: consumed {consumed}");
                    Assert.Fail($"{key} v{version}: a frame cut at {cut} of {full.Length} bytes decoded");
                }
            }
        }
    }

    [Fact]
    public void RandomBytesDecodeOrFailWithAProtocolError()
    {
        RunBounded(() =>
            Gen.Select(Gen.Int[0, Targets.Length - 1], Gen.Int).Sample(
                t => { _ = Decode(Targets[t.Item1].Key, Targets[t.Item1].Version, HostileBytes.Random(t.Item2, 64)); },
                iter: 30_000,
                seed: "0N0XIzNsQ0O3",
                print: t => $"{Targets[t.Item1]} random seed {t.Item2}"));
    }

    [Fact]
    public void AHugeCountInATinyFrameFailsWithoutAllocating()
    {
        // Count 2^31-1 (classic) and 2^32-2 (compact) at the start of every response: the first field of many is an array.
        foreach (var (key, version) in Targets)
        {
            Decode(key, version, [0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            Decode(key, version, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            Decode(key, version, [0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            Decode(key, version, [0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        }
    }

    /// <summary>Decodes; true when a message came out, false on a ProtocolException. Anything else fails the test.</summary>
    internal static bool Decode(ApiKey key, short version, byte[] frame) => DecodeConsumed(key, version, frame) is not null;

    private static int? DecodeConsumed(ApiKey key, short version, byte[] frame)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        int? consumed;
        try
        {
            var reader = new ProtocolReader(frame);
            _ = MessageCatalog.ReadResponse(key, ref reader, version);
            consumed = reader.Position;
        }
        catch (ProtocolException)
        {
            consumed = null;
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException(
                $"{key} v{version}: {ex.GetType().Name} ({ex.Message}) on {frame.Length} bytes {Convert.ToHexString(frame)}");
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > (long)AllocationPerFrameByte * frame.Length + AllocationSlack)
        {
            throw new Xunit.Sdk.XunitException(
                $"{key} v{version}: allocated {allocated} bytes for a {frame.Length}-byte frame {Convert.ToHexString(frame)}");
        }

        return consumed;
    }

    /// <summary>Runs a property with a watchdog: a decoder that loops forever fails the test instead of hanging CI.</summary>
    internal static void RunBounded(Action property)
    {
        Task run = Task.Run(property);
        if (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(3)))
        {
            Assert.Fail("The property did not finish within 3 minutes: a decoder may be looping.");
        }

        try
        {
            run.GetAwaiter().GetResult();
        }
        catch (CsCheckException ex) when (ex.InnerException is not null)
        {
            throw new Xunit.Sdk.XunitException(ex.Message + Environment.NewLine + ex.InnerException.Message);
        }
    }
}
