using Microsoft.Extensions.Logging;

namespace Samsa.Tests.Consumer;

/// <summary>Appends every log event, prefixed, to one file (for debugging tests that run in parallel).</summary>
internal sealed class FileTestLoggerFactory(string path, string prefix) : ILoggerFactory
{
    private static readonly Lock FileLock = new();

    public ILogger CreateLogger(string categoryName) => new Logger(path, prefix);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string path, string prefix) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{prefix}] {logLevel,-11} {formatter(state, exception)}{(exception is null ? "" : " " + exception)}{Environment.NewLine}";
            lock (FileLock)
            {
                File.AppendAllText(path, line);
            }
        }
    }
}
