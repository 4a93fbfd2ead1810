using System.Collections.Frozen;
using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Federation;

/// <summary>
/// The server-wide domain blocklist (<c>converge block domain add|remove|list</c>): no stanza is
/// exchanged with a listed domain or any of its subdomains, and no server-to-server link is opened to
/// it or accepted from it. The list lives in storage, so the CLI changes it from another process; the
/// server reads it every second and, when it changed, ends the links it no longer allows.
/// </summary>
internal sealed partial class DomainBlocklist(IDomainBlockStore store, ILogger logger)
{
    private volatile FrozenSet<string> _domains = FrozenSet<string>.Empty;

    /// <summary>Raised after a reload that changed the list.</summary>
    public event Action? Changed;

    public int Count => _domains.Count;

    /// <summary>True when <paramref name="domain"/> or a domain it lies under is listed (case-insensitive).</summary>
    public bool IsBlocked(string domain)
    {
        var domains = _domains;
        if (domains.Count == 0 || string.IsNullOrEmpty(domain))
        {
            return false;
        }

        var candidate = domain.ToLowerInvariant().TrimEnd('.');
        while (true)
        {
            if (domains.Contains(candidate))
            {
                return true;
            }

            var dot = candidate.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return false;
            }

            candidate = candidate[(dot + 1)..];
        }
    }

    /// <summary>Reads the list from storage; true when it changed.</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        var listed = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var current = _domains;
        if (listed.Count == current.Count && listed.All(current.Contains))
        {
            return false;
        }

        _domains = listed.ToFrozenSet(StringComparer.Ordinal);
        LogChanged(logger, listed.Count);
        Changed?.Invoke();
        return true;
    }

    public async Task RunPollerAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await ReloadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogReloadFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 4550, Level = LogLevel.Information, Message = "Domain blocklist changed: {Count} domains listed")]
    private static partial void LogChanged(ILogger logger, int count);

    [LoggerMessage(EventId = 4551, Level = LogLevel.Warning, Message = "Domain blocklist could not be read; the previous list stays in force")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
