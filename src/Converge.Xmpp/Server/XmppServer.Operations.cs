using Converge.Core.Addressing;
using Converge.Xmpp.Client;
using Converge.Xmpp.Streams;

namespace Converge.Xmpp.Server;

/// <summary>What an operator does to a running server (the admin API): see and end sessions, apply account changes now.</summary>
public sealed partial class XmppServer
{
    /// <summary>Bound sessions, of one account (bare JID) or all, ordered by JID.</summary>
    public IReadOnlyList<SessionReport> Sessions(Jid? account = null)
    {
        var sessions = account is { } bare ? _context.Sessions.SessionsOf(bare.Bare) : _context.Sessions.All();
        return [.. sessions.Select(Report).OrderBy(s => s.Jid, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Ends the sessions of an account (bare JID) or one session (full JID) with a
    /// <c>policy-violation</c> stream error (RFC 6120 §4.9.3.18); returns how many ended.
    /// </summary>
    public async Task<int> KickAsync(Jid address, string reason)
    {
        ClientSession[] sessions = address.Resource is null
            ? _context.Sessions.SessionsOf(address)
            : _context.Sessions.Find(address) is { } one ? [one] : [];
        foreach (var session in sessions)
        {
            await _context.EndSessionAsync(session, new StreamError("policy-violation", reason)).ConfigureAwait(false);
        }

        return sessions.Length;
    }

    /// <summary>Reads the accounts again now instead of at the next poll (an account added or removed through the admin API).</summary>
    public Task RefreshAccountsAsync(CancellationToken cancellationToken) => _context.Accounts.RefreshAsync(cancellationToken);

    private static SessionReport Report(ClientSession s) =>
        new(s.FullJid.ToString(), s.Listener, s.IsAvailable, s.Priority, s.Connection is null, s.Started);
}
