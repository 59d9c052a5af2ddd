namespace Samsa.Fuzz;

/// <summary>The targets by name, and one guarded execution: the outcome, or an exception that is a finding.</summary>
internal static class FuzzRunner
{
    /// <summary>The target names, in the order of <see cref="CreateAll"/>.</summary>
    public static readonly string[] Names = ["responses", "records", "codecs"];

    public static FuzzTarget[] CreateAll() => [new ResponseTarget(), new RecordSetTarget(), new CodecTarget()];

    /// <summary>
    /// The target called <paramref name="name"/>, or null. Under afl-fuzz call it only inside the fuzz loop:
    /// instrumented code that runs before SharpFuzz maps AFL's shared memory writes through an unset pointer.
    /// </summary>
    public static FuzzTarget? Create(string name) => name switch
    {
        "responses" => new ResponseTarget(),
        "records" => new RecordSetTarget(),
        "codecs" => new CodecTarget(),
        _ => null,
    };

    /// <summary>
    /// Runs <paramref name="target"/> on <paramref name="input"/> and holds it to its allocation bound. Throws
    /// <see cref="FuzzFailure"/> on an allocation out of proportion, and lets any exception the target does not
    /// allow escape as it is.
    /// </summary>
    public static FuzzOutcome Run(FuzzTarget target, byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        FuzzOutcome outcome = target.Execute(input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long bound = target.AllocationBound(input.Length);
        if (allocated > bound)
        {
            // The first run through a path pays for type loading, static constructors and empty pools: only a
            // second run of the same input, with all of that done, says what decoding itself costs.
            before = GC.GetAllocatedBytesForCurrentThread();
            target.Execute(input);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > bound)
            {
                throw new FuzzFailure(
                    $"{target.Name}: allocated {allocated} bytes for a {input.Length}-byte input (bound {bound}): {Hex(input)}");
            }
        }

        return outcome;
    }

    private static string Hex(byte[] input) =>
        input.Length <= 512 ? Convert.ToHexString(input) : Convert.ToHexString(input, 0, 512) + "...";
}
