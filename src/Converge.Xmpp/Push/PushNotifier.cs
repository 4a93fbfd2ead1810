using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Push;

/// <summary>
/// The server side of push (XEP-0357 §7): a message on its way to an account whose registered
/// client has no live session - gone, or detached and waiting for stream resumption (XEP-0198) -
/// makes a notification to that client's app server, routed like any stanza of the account (a
/// remote app server is reached over the interconnection, under the agreement's <c>Push</c>). An
/// app server that answers with an error other than <c>wait</c> no longer knows the device: that
/// registration is disabled. Observes messages before delivery and never stops them.
/// </summary>
internal sealed partial class PushNotifier(PushRegistrations registrations, SessionRegistry sessions, StanzaRouter router, PushSettings settings, XmlLimits xmlLimits, ILogger logger)
{
    private readonly RoomNicks _roomNicks = new(sessions, settings.MaxRoomNicks);

    /// <summary>
    /// The last group-chat message notified per registration (sender and id): a room sends one copy
    /// to each session of a multi-session occupant, and the device is told once.
    /// </summary>
    private readonly ConcurrentDictionary<(Jid Owner, string Service, string Node), string> _lastGroupChat = new();

    private const string IdPrefix = "push-";

    /// <summary>An app server that has not answered in this long never will; its entry is dropped.</summary>
    private static readonly TimeSpan AnswerWindow = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, PendingNotification> _pending = new(StringComparer.Ordinal);

    /// <summary>Messages since the registered client was last seen live, per account, app server and node.</summary>
    private readonly ConcurrentDictionary<(Jid Owner, string Service, string Node), int> _unseen = new();
    private long _nextId;

    public void Hook(RoutingEvents events)
    {
        events.Hook(RoutingEventNames.Messages, RoutePriority.Observers, "push: notify app servers of clients that are away (XEP-0357)", ObserveMessageAsync);
        events.Hook(RoutingEventNames.IqBare, RoutePriority.Observers, "push: app servers' answers to notifications", AnswerAsync);
        if (settings.MaxRoomNicks > 0)
        {
            events.Hook(RoutingEventNames.PresenceFull, RoutePriority.Observers, "push: the nick each session holds in each room, for mentions", ObservePresence);
        }
    }

    /// <summary>Nicks known for mentions (sessions times rooms).</summary>
    public int RoomNickCount => _roomNicks.Count;

    private ValueTask<bool> ObservePresence(RoutedStanza routed, CancellationToken cancellationToken)
    {
        _roomNicks.Observe(routed.Stanza);
        return ValueTask.FromResult(false);
    }

    /// <summary>Notifications sent whose answer has not come yet.</summary>
    public int PendingCount => _pending.Count;

    private async ValueTask<bool> ObserveMessageAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Recipient is not { } recipient || !IsWorthNotifying(routed.Stanza))
        {
            return false;
        }

        var groupChat = routed.Stanza.Type == "groupchat";
        if (groupChat && !MentionsRecipient(routed.Stanza))
        {
            return false;
        }

        var owner = recipient.Jid.Bare;
        var list = await registrations.OfAsync(owner, cancellationToken).ConfigureAwait(false);
        foreach (var registration in list)
        {
            var key = (owner, registration.Service, registration.Node);
            if (HasLiveSession(owner, registration.Resource))
            {
                _unseen.TryRemove(key, out _);
                continue;
            }

            if (groupChat && GroupChatKey(routed.Stanza) is { } seen)
            {
                if (_lastGroupChat.TryGetValue(key, out var last) && last == seen)
                {
                    continue; // another session's copy of a mention already notified
                }

                _lastGroupChat[key] = seen;
            }

            var count = _unseen.AddOrUpdate(key, 1, static (_, n) => n + 1);
            await NotifyAsync(owner, registration, count, routed.Stanza, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private async ValueTask NotifyAsync(Jid owner, PushRegistrationRow registration, int count, Stanza message, CancellationToken cancellationToken)
    {
        var id = IdPrefix + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = settings.IncludeBody ? message.Element.ChildText("body", Namespaces.Client) : null;
        var iq = PushNotification.Build(id, owner.ToString(), registration, count, message.From?.ToString(), body, xmlLimits);
        if (!Jid.TryParse(registration.Service, out var service))
        {
            return;
        }

        Track(id, new PendingNotification(owner, service, registration.Node, Environment.TickCount64));
        LogNotifying(logger, owner.ToString(), registration.Service, count);
        await router.RouteAsync(new Stanza(iq, StanzaKind.Iq, owner, service), cancellationToken).ConfigureAwait(false);
    }

    private void Track(string id, PendingNotification pending)
    {
        if (_pending.Count >= settings.MaxPendingNotifications)
        {
            var oldest = Environment.TickCount64 - (long)AnswerWindow.TotalMilliseconds;
            foreach (var (key, value) in _pending)
            {
                if (value.SentAt < oldest)
                {
                    _pending.TryRemove(key, out _);
                }
            }

            if (_pending.Count >= settings.MaxPendingNotifications)
            {
                return;
            }
        }

        _pending[id] = pending;
    }

    /// <summary>Handles only the answers to our own notifications: from the app server they went to, to the account they were for.</summary>
    private async ValueTask<bool> AnswerAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (stanza.Type is not ("result" or "error") || stanza.Id is not { } id || !id.StartsWith(IdPrefix, StringComparison.Ordinal)
            || !_pending.TryGetValue(id, out var pending) || stanza.From != pending.Service || stanza.To?.Bare != pending.Owner)
        {
            return false;
        }

        _pending.TryRemove(id, out _);
        if (stanza.Type == "error")
        {
            var error = stanza.Element.Element("error", Namespaces.Client);
            var type = error?.GetAttribute("type");
            var condition = error?.Elements().FirstOrDefault(e => e.Namespace == Namespaces.Stanzas)?.Name ?? "undefined-condition";
            if (routed.Origin == Routing.StanzaOrigin.Internal)
            {
                // Our own refusal (the agreement does not grant Push, no link to the app server):
                // the app server never saw it, so the device is not known to be gone.
                LogNotDelivered(logger, pending.Owner.ToString(), pending.Service.ToString(), condition);
            }
            else if (type != "wait")
            {
                // item-not-found, not-authorized, forbidden...: the app server no longer serves this device (XEP-0357 §7).
                await registrations.DisableAsync(pending.Owner, pending.Service.ToString(), pending.Node, cancellationToken).ConfigureAwait(false);
                _unseen.TryRemove((pending.Owner, pending.Service.ToString(), pending.Node), out _);
                LogRefused(logger, pending.Owner.ToString(), pending.Service.ToString(), condition);
            }
        }

        return true;
    }

    private bool HasLiveSession(Jid owner, string resource)
    {
        foreach (var session in sessions.SessionsOf(owner))
        {
            if ((resource.Length == 0 || session.FullJid.Resource == resource) && !session.IsClosed && session.DetachedSinceTicks == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A room message to one of the recipient's sessions that names the nick that session holds in
    /// the room (as the room told it: <see cref="RoomNicks"/>). History replayed on entry (it carries
    /// a delay) and subject changes are not news.
    /// </summary>
    private bool MentionsRecipient(Stanza message) =>
        message.To is { Resource: not null } session && message.From is { Resource: not null } from
        && message.Element.Element("delay", Namespaces.Delay) is null
        && _roomNicks.NickOf(session, from) is { } nick
        && GroupChatMention.Mentions(message.Element, from, nick);

    /// <summary>What identifies one room message across the copies a room sends: its sender and id (the room's stanza-id when there is one).</summary>
    private static string? GroupChatKey(Stanza message)
    {
        var stanzaId = message.Element.Elements("stanza-id", Namespaces.StanzaId).FirstOrDefault(e => e.GetAttribute("by") == message.From!.Bare.ToString())?.GetAttribute("id");
        return (stanzaId ?? message.Id) is { } id ? message.From + "\n" + id : null;
    }

    /// <summary>Chat and normal messages, and room messages (mentions, decided by the caller), with something to read (a body, or an encrypted payload); not errors or headlines.</summary>
    private static bool IsWorthNotifying(Stanza message)
    {
        if (message.Type is "error" or "headline" || message.From is null)
        {
            return false;
        }

        foreach (var child in message.Element.Elements())
        {
            if ((child.Name == "body" && child.Namespace == Namespaces.Client) || child.Name == "encrypted")
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 4604, Level = LogLevel.Information, Message = "Push notification for {Owner} to app server {Service} not delivered ({Condition}); the registration stays")]
    private static partial void LogNotDelivered(ILogger logger, string owner, string service, string condition);

    private sealed record PendingNotification(Jid Owner, Jid Service, string Node, long SentAt);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Debug, Message = "Push notification for {Owner} to app server {Service} ({Count} messages)")]
    private static partial void LogNotifying(ILogger logger, string owner, string service, int count);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Warning, Message = "App server {Service} refused a notification for {Owner} ({Condition}); that registration is disabled")]
    private static partial void LogRefused(ILogger logger, string owner, string service, string condition);
}
