using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// Writes every log line to the file named by CONVERGE_TEST_LOG, for reading a failed federation
/// test after the fact; without the variable the tests log nothing.
/// </summary>
internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public static ILoggerFactory? FromEnvironment() =>
        Environment.GetEnvironmentVariable("CONVERGE_TEST_LOG") is { Length: > 0 } path
            ? LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FileLoggerProvider(path)))
            : null;

    public ILogger CreateLogger(string categoryName) => new FileLogger(path, categoryName);

    public void Dispose()
    {
    }

    private sealed class FileLogger(string path, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category} [{eventId.Id}] {formatter(state, exception)}{(exception is null ? "" : " " + exception)}\n";
            lock (Gate)
            {
                File.AppendAllText(path, line);
            }
        }
    }
}
