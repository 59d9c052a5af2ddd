using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Samsa.Soak;

/// <summary>
/// The clients' logger: counts events by id (e.g. 4001, an offset reset after OFFSET_OUT_OF_RANGE, which in
/// the soak means a consumer fell behind the ~5 MB the test cluster keeps per partition) and writes warnings,
/// errors and offset resets to stderr.
/// </summary>
internal sealed partial class SoakLog(Action<int, long> onReset) : ILoggerFactory, ILogger
{
    public const int OffsetResetEvent = 4001;

    private readonly ConcurrentDictionary<int, long> _counts = new();

    public long Count(int eventId) => _counts.TryGetValue(eventId, out long n) ? n : 0;

    public long Warnings { get; private set; }

    [GeneratedRegex(@"\[(\d+)\] offset (\d+) is out of range")]
    private static partial Regex ResetPattern();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _counts.AddOrUpdate(eventId.Id, 1, (_, n) => n + 1);
        if (logLevel >= LogLevel.Warning)
        {
            Warnings++;
        }

        string? text = null;
        if (eventId.Id == OffsetResetEvent)
        {
            text = formatter(state, exception);
            if (ResetPattern().Match(text) is { Success: true } m)
            {
                onReset(int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture));
            }
        }

        // Warnings, offset resets and the group's joins, assignments and rejoins (how long a rebalance pauses).
        if (logLevel >= LogLevel.Warning || eventId.Id == OffsetResetEvent || eventId.Id is >= 5001 and <= 5007)
        {
            text ??= formatter(state, exception);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:HH:mm:ss} {logLevel} {eventId.Id}: {text}{(exception is null ? "" : " " + exception.Message)}"));
        }
    }
}
