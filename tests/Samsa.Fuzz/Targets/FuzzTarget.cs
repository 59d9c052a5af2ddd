namespace Samsa.Fuzz;

/// <summary>What one input did to a target: anything else is a thrown exception, which is a finding.</summary>
internal enum FuzzOutcome
{
    /// <summary>The input decoded.</summary>
    Decoded,

    /// <summary>The input was refused with the error the code promises for bad bytes (a KafkaException family error).</summary>
    Rejected,

    /// <summary>The input does not select anything to decode (an unknown API key); not a finding.</summary>
    Ignored,
}

/// <summary>
/// One fuzz target: decodes an input with the client's own code and maps the outcomes the code promises for
/// hostile bytes to <see cref="FuzzOutcome"/>. Any other exception escapes, so that AFL records a crash and the
/// replay test fails with it. The same classes run under afl-fuzz (tests/Samsa.Fuzz) and in Samsa.Tests.
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>The name on the command line and the folder under corpus/ and findings/.</summary>
    public abstract string Name { get; }

    /// <summary>Decodes <paramref name="input"/>; throws only what is a bug.</summary>
    public abstract FuzzOutcome Execute(byte[] input);

    /// <summary>The most managed memory one execution may allocate for an input of <paramref name="length"/> bytes.</summary>
    public abstract long AllocationBound(int length);
}
