using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Samsa.Tests.Reliability;

/// <summary>Keeps every log line (level and text) so that tests can check that a fault was reported.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public bool Any(LogLevel atLeast, string contains) =>
        Lines.Any(l => l.Level >= atLeast && l.Text.Contains(contains, StringComparison.OrdinalIgnoreCase));

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
