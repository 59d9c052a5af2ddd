namespace Samsa.Fuzz;

/// <summary>
/// The bounds the CsCheck properties (tests/Samsa.Tests/Reliability) hold the decoders to, shared with the fuzzer
/// so that both judge an input the same way.
/// </summary>
internal static class FuzzLimits
{
    /// <summary>
    /// Managed bytes one frame byte may cost when decoded: an element that takes one byte on the wire may be an
    /// object with a few empty lists, so tens of bytes are honest; a count trusted before it is checked costs
    /// gigabytes. Same value as HostileResponseDecodingTests.AllocationPerFrameByte.
    /// </summary>
    public const int AllocationPerInputByte = 64;

    /// <summary>Fixed allowance per response decode (the message object, a thrown exception).</summary>
    public const int ResponseSlack = 16 * 1024;

    /// <summary>The decompression cap the record targets pass to the codecs: a bomb must stop there.</summary>
    public const int MaxDecompressed = 256 * 1024;

    /// <summary>
    /// Fixed allowance per record-set or codec run: decompressed output comes from the shared pool (rented and
    /// returned), so a pool miss may allocate up to twice the cap, plus codec contexts.
    /// </summary>
    public const long RecordSlack = 2L * MaxDecompressed + 256 * 1024;

    /// <summary>Longest an input may take outside AFL (AFL has its own -t limit) before the replay calls it a hang.</summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(20);
}
