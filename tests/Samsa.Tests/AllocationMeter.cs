namespace Samsa.Tests;

/// <summary>
/// Bytes a piece of code allocates on the calling thread, as the fewest over several rounds: a one-off
/// allocation that is not the code's (a runtime cache filled on first use on this thread, tiered
/// recompilation swapping code in mid-loop) shows in one round; an allocation per call shows in every one.
/// </summary>
internal static class AllocationMeter
{
    public static long Fewest(Action action, int rounds = 5)
    {
        long fewest = long.MaxValue;
        for (int round = 0; round < rounds && fewest > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
