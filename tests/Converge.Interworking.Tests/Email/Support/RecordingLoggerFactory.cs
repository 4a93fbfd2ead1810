using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Tests.Email.Support;

/// <summary>Keeps every log event, so a test can check that bad input left no error (the server unharmed).</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, EventId Event, string Message, Exception? Exception)> Events { get; } = new();

    public IEnumerable<string> Errors => Events.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Event.Id} {e.Message} {e.Exception}");

    /// <summary>Waits for an event with <paramref name="eventId"/>: the peer may see a socket close before the log line is written.</summary>
    public async Task<bool> WaitForEventAsync(int eventId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Events.Any(e => e.Event.Id == eventId))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Events.Enqueue((logLevel, eventId, formatter(state, exception), exception));
    }
}
