using System.Diagnostics;

namespace Samsa.Cli.Output;

/// <summary>
/// A one-line progress bar on stderr, redrawn in place at most ten times a second; drawn only when stderr is a
/// terminal (otherwise every call does nothing, so scripts and logs stay clean).
/// </summary>
internal sealed class ProgressBar(CliConsole console, string label, long total)
{
    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw = -1000;
    private bool _drawn;

    public void Report(long done, bool force = false)
    {
        if (!console.ErrorIsTerminal)
        {
            return;
        }

        long now = _clock.ElapsedMilliseconds;
        if (!force && now - _lastDraw < 100)
        {
            return;
        }

        _lastDraw = now;
        double fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        int filled = (int)(fraction * Width);
        double rate = now > 0 ? done * 1000.0 / now : 0;
        console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,5:F1}% {done:N0}/{total:N0} ({rate:N0}/s)  ");
        _drawn = true;
    }

    /// <summary>Draws the final state and ends the line.</summary>
    public void Complete(long done)
    {
        if (!console.ErrorIsTerminal)
        {
            return;
        }

        Report(done, force: true);
        if (_drawn)
        {
            console.Error.WriteLine();
        }
    }
}
