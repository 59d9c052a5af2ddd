using System.Diagnostics;

namespace Samsa.Bench.E2E;

/// <summary>
/// Decides when a consumer has seen everything it will get (fewer than produced when the mock trimmed a
/// partition): after <c>idleMs</c> without a message. The window then ends where the empty polls began.
/// </summary>
internal sealed class IdleTracker(ClientMeasurement measurement, int idleMs)
{
    private readonly Stopwatch _idle = new();

    public void Reset() => _idle.Reset();

    /// <summary>Called on an empty poll; true once idle long enough (30 s before the first message).</summary>
    public bool Expired(long consumed)
    {
        if (!_idle.IsRunning)
        {
            measurement.Mark();
            _idle.Start();
        }

        return _idle.ElapsedMilliseconds >= (consumed == 0 ? Math.Max(idleMs, 30_000) : idleMs);
    }

    public void Stop(bool complete)
    {
        if (complete)
        {
            measurement.Stop();
        }
        else
        {
            measurement.StopAtMark();
        }
    }
}
