using Microsoft.Extensions.Logging;

namespace Samsa.Cli.Output;

/// <summary>The client's log on stderr, one line per event ("samsa: [warn] Samsa.Producer: ..."), at or above a level.</summary>
internal sealed class StderrLoggerFactory : ILoggerFactory
{
    private readonly TextWriter _error;
    private readonly LogLevel _minimum;
    private readonly Lock _gate = new();

    public StderrLoggerFactory(TextWriter error, LogLevel minimum)
    {
        _error = error;
        _minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            _error.WriteLine(line);
        }
    }

    private sealed class Logger(StderrLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string level = logLevel switch
            {
                LogLevel.Trace => "trace",
                LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "error",
                _ => "crit",
            };
            string text = formatter(state, exception);
            if (exception is not null)
            {
                // The exception's message always; its stack only when debugging.
                text += ": " + (owner._minimum <= LogLevel.Debug ? exception.ToString() : exception.Message);
            }

            owner.Write($"samsa: [{level}] {category}: {text.ReplaceLineEndings(owner._minimum <= LogLevel.Debug ? "\n" : " ")}");
        }
    }
}
