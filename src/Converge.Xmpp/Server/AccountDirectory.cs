using System.Collections.Concurrent;
using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Server;

/// <summary>
/// The accounts of this provider held in memory, so that authentication and routing look them up
/// without I/O. Kept fresh by polling the store's change counter: the CLI writes the same database
/// from another process and its changes must reach the running server within a second.
/// </summary>
internal sealed partial class AccountDirectory(IAccountStore store, ILogger logger)
{
    private readonly ConcurrentDictionary<Jid, Account> _byJid = new();
    private readonly ConcurrentDictionary<string, Account> _byMsisdn = new(StringComparer.Ordinal);
    private long _counter;

    /// <summary>Raised (on the poller's thread) for an account that was removed.</summary>
    public event Action<Jid>? Removed;

    /// <summary>
    /// Raised for an account whose password changed or that was locked, with the reason: the sessions
    /// authenticated before the change must end (whoever guessed or stole the old password is out).
    /// </summary>
    public event Action<Jid, string>? Revoked;

    public int Count => _byJid.Count;

    public Account? Find(Jid bareJid) => _byJid.TryGetValue(bareJid, out var a) ? a : null;

    public bool Exists(Jid bareJid) => _byJid.ContainsKey(bareJid);

    public IEnumerable<Account> All() => _byJid.Values;

    public Account? FindByMsisdn(string msisdn) => _byMsisdn.TryGetValue(msisdn, out var a) ? a : null;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _counter = await store.GetChangeCounterAsync(cancellationToken).ConfigureAwait(false);
        foreach (var account in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            Put(account);
        }
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
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var counter = await store.GetChangeCounterAsync(cancellationToken).ConfigureAwait(false);
        if (counter == _counter)
        {
            return;
        }

        var changes = await store.ChangesSinceAsync(_counter, cancellationToken).ConfigureAwait(false);
        _counter = counter;
        foreach (var (jid, account) in changes)
        {
            if (_byJid.TryRemove(jid, out var old) && old.Msisdn is not null)
            {
                _byMsisdn.TryRemove(old.Msisdn, out _);
            }

            if (account is null)
            {
                LogAccountRemoved(logger, jid);
                Removed?.Invoke(jid);
            }
            else
            {
                Put(account);
                LogAccountChanged(logger, jid);
                RaiseIfRevoked(old, account);
            }
        }
    }

    /// <summary>Applies a change made in this process at once (tests, admin API).</summary>
    public void Put(Account account)
    {
        var old = _byJid.TryGetValue(account.Jid, out var previous) ? previous : null;
        _byJid[account.Jid] = account;
        RaiseIfRevoked(old, account);
        if (account.Msisdn is not null)
        {
            _byMsisdn[account.Msisdn] = account;
        }
    }

    private void RaiseIfRevoked(Account? old, Account account)
    {
        if (old is not null && old.IsRevokedBy(account))
        {
            var reason = account.Locked && !old.Locked ? "The account was locked." : "The account's password was changed.";
            LogAccountRevoked(logger, account.Jid, reason);
            Revoked?.Invoke(account.Jid, reason);
        }
    }

    [LoggerMessage(EventId = 4503, Level = LogLevel.Information, Message = "Account {Jid}: {Reason} Its sessions are closed")]
    private static partial void LogAccountRevoked(ILogger logger, Jid jid, string reason);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Account {Jid} added or changed")]
    private static partial void LogAccountChanged(ILogger logger, Jid jid);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Account {Jid} removed; its sessions are closed")]
    private static partial void LogAccountRemoved(ILogger logger, Jid jid);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Reading account changes from the store failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
