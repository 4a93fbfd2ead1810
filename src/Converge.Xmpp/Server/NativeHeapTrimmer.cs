using Converge.Xmpp.Transport;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Server;

/// <summary>
/// Trims the C heap once a burst of TLS handshakes is over (no handshake for one period), or at most
/// once a minute while handshakes keep coming: a quiet server then holds what its idle connections
/// use, not what their handshakes once needed. One timer for the whole server, nothing per connection.
/// </summary>
internal sealed partial class NativeHeapTrimmer(ILogger logger)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);
    private static readonly long MaxDeferMs = 60_000;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period);
        var trimmedAt = TlsHandshake.Completed;
        var seenAt = trimmedAt;
        var pendingSince = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                var completed = TlsHandshake.Completed;
                if (completed == trimmedAt)
                {
                    continue;
                }

                pendingSince = pendingSince == 0 ? now : pendingSince;
                var quiet = completed == seenAt;
                seenAt = completed;
                if (quiet || now - pendingSince >= MaxDeferMs)
                {
                    if (NativeHeap.Trim())
                    {
                        LogTrimmed(logger, completed - trimmedAt, Environment.TickCount64 - now);
                    }

                    trimmedAt = completed;
                    pendingSince = 0;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Debug, Message = "C heap trimmed after {Handshakes} TLS handshakes ({Milliseconds} ms)")]
    private static partial void LogTrimmed(ILogger logger, long handshakes, long milliseconds);
}
