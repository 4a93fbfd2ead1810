using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Im;

/// <summary>
/// Archive.QuotaBytesPerUser, as a quota with retention: an archive never refuses a message (refusing
/// would lose what a user was sent, or bounce the sender for the recipient's history); instead the
/// owner's oldest messages are dropped until the archive fits again. Owners who had messages archived
/// are noted as the rows are queued and trimmed together every few seconds, so a burst costs one
/// trim, not one per message; between passes an archive can pass its quota by what arrived since.
/// </summary>
internal sealed partial class ArchiveQuota(IArchiveStore store, long maxBytes, ILogger logger)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    // Bounded by the number of local accounts: only accounts' archives are noted.
    private readonly ConcurrentDictionary<Jid, byte> _written = new();

    public long MaxBytes => maxBytes;

    /// <summary>A row for the owner's archive was queued.</summary>
    public void Written(Jid owner) => _written.TryAdd(owner, 0);

    /// <summary>One pass over the owners written since the last one; returns how many messages were dropped.</summary>
    public async Task<int> EnforceAsync(CancellationToken cancellationToken)
    {
        var dropped = 0;
        foreach (var owner in _written.Keys)
        {
            _written.TryRemove(owner, out _);
            var trimmed = await store.TrimToQuotaAsync(owner, maxBytes, cancellationToken).ConfigureAwait(false);
            if (trimmed > 0)
            {
                dropped += trimmed;
                Diagnostics.AbuseMetrics.Trimmed(trimmed);
                LogTrimmed(logger, owner.ToString(), trimmed, maxBytes);
            }
        }

        return dropped;
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await EnforceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 4530, Level = LogLevel.Information, Message = "Archive of {Owner} over its quota of {Quota} bytes: {Dropped} oldest messages dropped")]
    private static partial void LogTrimmed(ILogger logger, string owner, int dropped, long quota);

    [LoggerMessage(EventId = 4531, Level = LogLevel.Warning, Message = "Archive quota pass failed; retried at the next pass")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
