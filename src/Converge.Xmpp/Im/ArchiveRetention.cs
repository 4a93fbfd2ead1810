using System.Data.Common;
using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Im;

/// <summary>
/// Archive.Retention: removes archived messages older than the configured period once an hour, and at
/// once when an operator asks (<c>POST /api/archive/retention</c>). One pass at a time, so an operator's
/// pass and the hourly one never delete side by side; the last pass is kept for <c>GET</c>. A failed
/// pass is recorded and logged, and the next hour tries again.
/// </summary>
internal sealed partial class ArchiveRetention(IArchiveStore store, TimeSpan period, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private volatile ArchiveRetentionRun? _last;

    public TimeSpan Period => period;

    /// <summary>The last finished pass since start, or null before the first.</summary>
    public ArchiveRetentionRun? Last => _last;

    /// <summary>The first pass at start, then one an hour, until the server stops.</summary>
    public async Task RunScheduledAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            await RunAsync("schedule", cancellationToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One pass now (after a pass under way, if any); <paramref name="trigger"/> says who asked.</summary>
    public async Task<ArchiveRetentionRun> RunAsync(string trigger, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = time.GetUtcNow();
            var cutoff = started - period;
            ArchiveRetentionRun run;
            try
            {
                var deleted = await store.PruneAsync(cutoff, cancellationToken).ConfigureAwait(false);
                run = new ArchiveRetentionRun(trigger, started, time.GetUtcNow(), cutoff, deleted, null);
                LogPruned(logger, trigger, deleted, cutoff);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
            {
                run = new ArchiveRetentionRun(trigger, started, time.GetUtcNow(), cutoff, 0, e.Message);
                LogFailed(logger, e, trigger);
            }

            _last = run;
            return run;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    [LoggerMessage(EventId = 4311, Level = LogLevel.Information, Message = "Archive retention ({Trigger}): {Deleted} archived messages older than {Cutoff:u} removed")]
    private static partial void LogPruned(ILogger logger, string trigger, int deleted, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4312, Level = LogLevel.Error, Message = "Archive retention ({Trigger}) failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string trigger);
}
