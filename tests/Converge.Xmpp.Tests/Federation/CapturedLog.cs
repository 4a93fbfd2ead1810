using System.Text;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>Keeps every log line of one server in memory, for tests that pin down what the operator is told.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly StringBuilder _lines = new();

    public string Text
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToString();
            }
        }
    }

    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (log._lines)
            {
                log._lines.Append(logLevel).Append(" [").Append(eventId.Id).Append("] ").AppendLine(formatter(state, exception));
            }
        }
    }
}
