using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Core.Interworking;
using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Function;

/// <summary>
/// What every legacy channel of the interworking function shares: which thread a message belongs
/// to, and the state of sessions (XEP-0155) adapted to plain text - invitations waiting for YES/NO,
/// invitations from legacy users waiting for the CPM user's answer, sessions in progress. A channel
/// (SMS, email) adds only how a conversation is addressed on its network. The session state is
/// written through to <see cref="IInterworkingStateStore"/> and read back at start-up
/// (<see cref="LoadAsync"/>), so a restart between an invitation and its YES forgets nothing; the
/// dictionaries are the working copy.
/// </summary>
internal sealed class ConversationBook(
    OutboxChannel channel, InterworkingSettings settings, IThreadMapStore threads, IInterworkingStateStore state, IConversationSink sink, TimeProvider time)
{
    private readonly SessionKeywords _keywords = new(settings.InviteKeyword, settings.EndKeyword);
    private readonly ConcurrentDictionary<(string User, string Legacy), PendingInvite> _invitesOut = new();
    private readonly ConcurrentDictionary<(string User, string Legacy), string> _invitesIn = new();
    private readonly ConcurrentDictionary<(string User, string Legacy), string> _sessions = new();

    public IThreadMapStore Threads => threads;

    /// <summary>Reads the invitations and sessions stored before a restart; expired invitations are declined at the next tick.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var record in await state.SessionsAsync(channel, cancellationToken).ConfigureAwait(false))
        {
            var key = (record.CpmUser, record.LegacyAddress);
            switch (record.State)
            {
                case InterworkingSessionState.InvitedByUser:
                    _invitesOut[key] = new PendingInvite(record.Thread, record.Expires ?? time.GetUtcNow(), record.LegacyJid ?? record.LegacyAddress);
                    break;
                case InterworkingSessionState.InvitedByLegacy:
                    _invitesIn[key] = record.Thread;
                    break;
                case InterworkingSessionState.Active:
                    _sessions[key] = record.Thread;
                    break;
            }
        }
    }

    private Task SaveAsync((string User, string Legacy) key, InterworkingSessionState what, string thread, CancellationToken cancellationToken, DateTimeOffset? expires = null, string? legacyJid = null) =>
        state.SaveSessionAsync(new InterworkingSessionRecord(channel, key.User, key.Legacy, what, thread, expires, legacyJid), cancellationToken);

    private Task ForgetAsync((string User, string Legacy) key, InterworkingSessionState what, CancellationToken cancellationToken) =>
        state.RemoveSessionAsync(channel, key.User, key.Legacy, what, cancellationToken);

    /// <summary>The XMPP side, for what a channel reports on its own (receipts).</summary>
    public IConversationSink Sink => sink;

    public static string NewThread() => Guid.NewGuid().ToString("N");

    /// <summary>The thread an outgoing message belongs to: its own, the session's, the recent conversation's, or a new one.</summary>
    public async Task<string> OutboundThreadAsync(OutboundConversationMessage message, CancellationToken cancellationToken)
    {
        var key = (message.Sender, message.Recipient);
        var thread = message.Thread;
        if (thread is null && message.Kind is ConversationKind.SessionAccept or ConversationKind.SessionDecline or ConversationKind.SessionEnd)
        {
            thread = _invitesIn.GetValueOrDefault(key) ?? _sessions.GetValueOrDefault(key);
        }

        return thread ?? await RecentThreadAsync(message.Sender, message.Recipient, cancellationToken).ConfigureAwait(false) ?? NewThread();
    }

    /// <summary>Notes what an outgoing message does to the session and to the conversation's recency.</summary>
    public async Task RecordOutboundAsync(OutboundConversationMessage message, string thread, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = (message.Sender, message.Recipient);
        var touch = threads.TouchAsync(new ConversationActivity(Jid.Parse(message.Sender), message.Recipient, thread, now), cancellationToken);
        switch (message.Kind)
        {
            case ConversationKind.SessionInvite:
                var invite = new PendingInvite(thread, now + settings.SessionInviteTimeout, message.RecipientJid);
                _invitesOut[key] = invite;
                await SaveAsync(key, InterworkingSessionState.InvitedByUser, thread, cancellationToken, invite.Expires, invite.RecipientJid).ConfigureAwait(false);
                break;
            case ConversationKind.SessionAccept:
                _invitesIn.TryRemove(key, out _);
                _sessions[key] = thread;
                await Task.WhenAll(ForgetAsync(key, InterworkingSessionState.InvitedByLegacy, cancellationToken), SaveAsync(key, InterworkingSessionState.Active, thread, cancellationToken)).ConfigureAwait(false);
                break;
            case ConversationKind.SessionDecline:
                _invitesIn.TryRemove(key, out _);
                await ForgetAsync(key, InterworkingSessionState.InvitedByLegacy, cancellationToken).ConfigureAwait(false);
                break;
            case ConversationKind.SessionEnd:
                _sessions.TryRemove(key, out _);
                await ForgetAsync(key, InterworkingSessionState.Active, cancellationToken).ConfigureAwait(false);
                break;
        }

        await touch.ConfigureAwait(false);
    }

    /// <summary>The text a session action becomes for the legacy user; an ordinary message keeps its text.</summary>
    public string Adapt(OutboundConversationMessage message)
    {
        var name = Jid.Parse(message.Sender).Local ?? message.Sender;
        string Fill(string template) => template.Replace("{name}", name, StringComparison.Ordinal).Replace("{jid}", message.Sender, StringComparison.Ordinal);
        return message.Kind switch
        {
            ConversationKind.SessionInvite => Fill(settings.InviteTemplate),
            ConversationKind.SessionAccept => Fill(settings.AcceptedTemplate),
            ConversationKind.SessionDecline => Fill(settings.DeclinedTemplate),
            ConversationKind.SessionEnd => Fill(settings.EndedTemplate),
            _ => message.Text,
        };
    }

    /// <summary>
    /// A legacy user's text for a CPM user: reads YES/NO/CHAT/END against the session state, settles
    /// the thread (the channel's own correlation first, then the session, the recent conversation, a
    /// new one), and hands it to the XMPP side.
    /// </summary>
    public async Task DeliverInboundAsync(string user, string legacyAddress, string legacyJid, string text, string? correlatedThread, string? subject, CancellationToken cancellationToken)
    {
        var key = (user, legacyAddress);
        var thread = correlatedThread;
        var kind = ConversationKind.Message;
        var reply = _keywords.Read(text);
        if (_invitesOut.TryGetValue(key, out var invite) && reply is SessionReply.Accept or SessionReply.Decline)
        {
            _invitesOut.TryRemove(key, out _);
            thread = invite.Thread;
            kind = reply == SessionReply.Accept ? ConversationKind.SessionAccept : ConversationKind.SessionDecline;
            var answered = ForgetAsync(key, InterworkingSessionState.InvitedByUser, cancellationToken);
            if (kind == ConversationKind.SessionAccept)
            {
                _sessions[key] = invite.Thread;
                await SaveAsync(key, InterworkingSessionState.Active, invite.Thread, cancellationToken).ConfigureAwait(false);
            }

            await answered.ConfigureAwait(false);
        }
        else if (reply == SessionReply.Invite)
        {
            kind = ConversationKind.SessionInvite;
        }
        else if (reply == SessionReply.End && _sessions.TryRemove(key, out var ended))
        {
            kind = ConversationKind.SessionEnd;
            thread = ended;
            await ForgetAsync(key, InterworkingSessionState.Active, cancellationToken).ConfigureAwait(false);
        }

        thread ??= _sessions.GetValueOrDefault(key) ?? await RecentThreadAsync(user, legacyAddress, cancellationToken).ConfigureAwait(false) ?? NewThread();
        if (kind == ConversationKind.SessionInvite)
        {
            _invitesIn[key] = thread;
            await SaveAsync(key, InterworkingSessionState.InvitedByLegacy, thread, cancellationToken).ConfigureAwait(false);
        }

        await threads.TouchAsync(new ConversationActivity(Jid.Parse(user), legacyAddress, thread, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await sink.DeliverAsync(new InboundConversationMessage(legacyJid, user, kind, text, thread, Subject: subject), cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> RecentThreadAsync(string user, string legacyAddress, CancellationToken cancellationToken) =>
        await threads.LatestAsync(Jid.Parse(user), legacyAddress, cancellationToken).ConfigureAwait(false) is { } last
        && time.GetUtcNow() - last.LastUsed <= settings.ReplyWindow
            ? last.Thread
            : null;

    /// <summary>No answer to an adapted invitation in time is a decline (seed 003, 5.8.6).</summary>
    public async Task ExpireInvitesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(settings.SessionInviteTimeout.TotalMilliseconds / 4, 100, 5000)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = time.GetUtcNow();
                foreach (var (key, invite) in _invitesOut)
                {
                    if (invite.Expires <= now && _invitesOut.TryRemove(key, out _))
                    {
                        try
                        {
                            await ForgetAsync(key, InterworkingSessionState.InvitedByUser, cancellationToken).ConfigureAwait(false);
                            await sink.DeliverAsync(new InboundConversationMessage(invite.RecipientJid, key.User, ConversationKind.SessionDecline, "No answer in time.", invite.Thread), cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception) when (!cancellationToken.IsCancellationRequested)
                        {
                            // The store refused (disk full) or the decline could not be routed: the next tick tries again.
                            _invitesOut.TryAdd(key, invite);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>An error about a CPM user's earlier message, back to them in its thread.</summary>
    public ValueTask ReportFailureAsync(OutboxEnvelope envelope, string channel, string reason, CancellationToken cancellationToken) =>
        sink.DeliverAsync(
            new InboundConversationMessage(envelope.Message.RecipientJid, envelope.Message.SenderFullJid ?? envelope.Message.Sender, ConversationKind.Error, $"Not delivered by {channel}: {reason}", envelope.Thread, envelope.Message.MessageId),
            cancellationToken);

    private sealed record PendingInvite(string Thread, DateTimeOffset Expires, string RecipientJid);
}
