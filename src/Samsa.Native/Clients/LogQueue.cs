using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Samsa.Native.Clients;

/// <summary>
/// Log lines waiting to be handed to the C log callback on the application's poll thread (callbacks never run
/// on the library's own threads). Bounded: past <see cref="Capacity"/> waiting lines, new ones are counted and
/// dropped, and the count is reported once there is room again.
/// </summary>
internal sealed class LogQueue
{
    public const int Capacity = 10_000;

    private readonly ConcurrentQueue<LogLine> _lines = new();
    private int _count;
    private int _dropped;

    public void Add(int level, string facility, string message)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _lines.Enqueue(new LogLine(level, facility, message));
    }

    public bool TryTake(out LogLine line)
    {
        if (_lines.TryDequeue(out line))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        int dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            line = new LogLine(Syslog.Warning, "Samsa.Native", $"{dropped} log lines were dropped: poll more often to serve the log callback.");
            return true;
        }

        return false;
    }

    public readonly record struct LogLine(int Level, string Facility, string Message);
}

/// <summary>syslog levels, as the C log callback receives them (librdkafka's convention).</summary>
internal static class Syslog
{
    public const int Critical = 2;
    public const int Error = 3;
    public const int Warning = 4;
    public const int Notice = 5;
    public const int Info = 6;
    public const int Debug = 7;

    public static int Of(LogLevel level) => level switch
    {
        LogLevel.Critical => Critical,
        LogLevel.Error => Error,
        LogLevel.Warning => Warning,
        LogLevel.Information => Info,
        _ => Debug,
    };
}

/// <summary>An <see cref="ILoggerFactory"/> whose loggers write into a <see cref="LogQueue"/>, up to a syslog level.</summary>
internal sealed class QueueLoggerFactory(LogQueue queue, int maxLevel) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new QueueLogger(queue, maxLevel, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
        // Logging goes to the C callback only.
    }

    public void Dispose()
    {
    }

    private sealed class QueueLogger(LogQueue queue, int maxLevel, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && Syslog.Of(logLevel) <= maxLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            if (exception is not null)
            {
                message = $"{message}: {exception.Message}";
            }

            queue.Add(Syslog.Of(logLevel), category, message);
        }
    }
}
