using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Samsa.IntegrationTests;

/// <summary>
/// Keeps log lines (level and text) for assertions and failure reports: every line from
/// <paramref name="minimum"/> up, or only the last <paramref name="capacity"/> of them.
/// </summary>
internal sealed class CapturingLoggerFactory(LogLevel minimum = LogLevel.Trace, int capacity = int.MaxValue) : ILoggerFactory
{
    private readonly ConcurrentQueue<(DateTime Time, LogLevel Level, string Text)> _lines = new();
    private readonly LogLevel _minimum = minimum;

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines.Select(l => (l.Level, l.Text))];

    /// <summary>The lines kept, one per row with their time and level.</summary>
    public string Dump() => string.Join(Environment.NewLine, _lines.Select(l => $"{l.Time:HH:mm:ss.fff} {l.Level}: {l.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string text)
    {
        _lines.Enqueue((DateTime.UtcNow, level, text));
        while (_lines.Count > capacity && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
