using System.Collections.Concurrent;
using Converge.Core.Addressing;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Pep;

/// <summary>
/// Entity capabilities (XEP-0115) on the routing step: watches available presence for
/// <c>&lt;c xmlns='http://jabber.org/protocol/caps'/&gt;</c>, asks an unknown 'ver' with disco#info,
/// verifies the hash (§5.4) before trusting it, and tells the PEP service when a resource's
/// features become known, so that it gets the last items it wants. A presence whose 'ver' is already
/// known for its resource costs a couple of dictionary lookups and nothing else.
/// </summary>
internal sealed partial class CapsWatcher(EntityCapabilities caps, PepService pep, StanzaRouter router, string domain, PepLimits limits, ILogger logger)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, CapsQuery> _pending = new(StringComparer.Ordinal);
    private readonly Jid _server = Jid.Parse(domain);
    private long _ids;

    public void Hook(RoutingEvents events)
    {
        events.Hook(RoutingEventNames.PresenceOutbound, RoutePriority.Observers, "caps: a local client's features; its PEP last items on coming online", OutboundAsync);
        events.Hook([RoutingEventNames.PresenceBare, RoutingEventNames.PresenceFull], RoutePriority.Observers, "caps: a peer client's features; PEP last items to it and on approval", InboundAsync);
        events.Hook(RoutingEventNames.RouteRemote, RoutePriority.Observers, "caps: PEP last items to a peer's user on approval", ApprovalOutAsync);
        events.Hook(RoutingEventNames.IqHost, RoutePriority.Observers, "caps: answers to the server's disco#info", AnswerAsync);
    }

    private async ValueTask<bool> OutboundAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (stanza.To is not null || routed.Session is not { } session)
        {
            return false;
        }

        switch (stanza.Type)
        {
            case null:
                // This runs before the presence module marks the session available: not yet available means initial presence.
                await ObserveAsync(session.FullJid, stanza.Element, null, initial: !session.IsAvailable, cancellationToken).ConfigureAwait(false);
                break;
            case "unavailable":
                caps.Forget(session.FullJid);
                break;
        }

        return false;
    }

    private async ValueTask<bool> InboundAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (stanza.From is not { } from || stanza.To is not { } to)
        {
            return false;
        }

        if (stanza.Type == "subscribed" && routed.Origin == StanzaOrigin.Internal && from.Domain == domain && from.Local is not null)
        {
            // A local owner approved a local contact; the roster already says so.
            await pep.SubscriptionApprovedAsync(from.Bare, to.Bare, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (routed.Origin != StanzaOrigin.Peer || from.Resource is null || routed.Recipient is null)
        {
            return false;
        }

        switch (stanza.Type)
        {
            case null:
                await ObserveAsync(from, stanza.Element, to.Bare, initial: false, cancellationToken).ConfigureAwait(false);
                break;
            case "unavailable":
                caps.Forget(from);
                break;
        }

        return false;
    }

    private async ValueTask<bool> ApprovalOutAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (stanza.Kind == StanzaKind.Presence && stanza.Type == "subscribed" && stanza.From is { Local: not null } from && from.Domain == domain && stanza.To is { } to)
        {
            await pep.SubscriptionApprovedAsync(from.Bare, to.Bare, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>An available presence of <paramref name="resource"/>; <paramref name="owner"/> is the local account it reached when it came from a peer.</summary>
    private async ValueTask ObserveAsync(Jid resource, XmlElement presence, Jid? owner, bool initial, CancellationToken cancellationToken)
    {
        var c = presence.Element("c", Namespaces.Caps);
        var ver = c?.GetAttribute("ver");
        var entry = caps.Find(resource) ?? caps.GetOrAdd(resource, null);
        var changed = !string.Equals(entry.Ver, ver, StringComparison.Ordinal);
        if (changed)
        {
            var hash = c?.GetAttribute("hash");
            entry.Ver = ver;
            entry.Features = ver is not null && hash == "sha-1" ? caps.FeaturesOf(ver) : null;
            if (ver is not null && entry.Features is null)
            {
                await QueryAsync(resource, c!.GetAttribute("node"), ver, hash, cancellationToken).ConfigureAwait(false);
            }
        }

        if (owner is not null)
        {
            LogPeerResource(logger, resource.ToString(), owner.ToString(), ver ?? "(none)", entry.Features is not null);
            bool first;
            lock (entry.ServedOwners)
            {
                first = entry.ServedOwners.Add(owner);
            }

            // Owners are remembered even before the features are known: the answer serves them.
            if (first && entry.Features is { } known)
            {
                await pep.SendLastItemsAsync(owner, new PepNotificationTarget(resource, known), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if ((initial || changed) && entry.Features is { } features)
        {
            await pep.LocalResourceAvailableAsync(new PepNotificationTarget(resource, features), cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask QueryAsync(Jid resource, string? node, string ver, string? hash, CancellationToken cancellationToken)
    {
        if (_pending.Count >= limits.MaxPendingCapsQueries)
        {
            var expired = Environment.TickCount64 - (long)QueryTimeout.TotalMilliseconds;
            foreach (var (key, query) in _pending)
            {
                if (query.SentTicks < expired)
                {
                    _pending.TryRemove(key, out _);
                }
            }

            if (_pending.Count >= limits.MaxPendingCapsQueries)
            {
                LogTooManyQueries(logger, resource.ToString());
                return ValueTask.CompletedTask;
            }
        }

        var id = "caps-" + Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _pending[id] = new CapsQuery(resource, ver, hash, Environment.TickCount64);
        var iq = new XmlElement("iq", Namespaces.Client)
            .SetAttribute("type", "get")
            .SetAttribute("id", id)
            .SetAttribute("from", domain)
            .SetAttribute("to", resource.ToString());
        iq.AddElement("query", Namespaces.DiscoInfo).SetAttribute("node", node is null ? null : node + "#" + ver);
        return router.RouteAsync(new Stanza(iq, StanzaKind.Iq, _server, resource), cancellationToken);
    }

    private async ValueTask<bool> AnswerAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (stanza.Type is not ("result" or "error") || stanza.Id is not { } id || !id.StartsWith("caps-", StringComparison.Ordinal)
            || !_pending.TryGetValue(id, out var query) || stanza.From != query.Resource)
        {
            return false;
        }

        _pending.TryRemove(id, out _);
        var answer = stanza.Type == "result" ? stanza.Element.Element("query", Namespaces.DiscoInfo) : null;
        IReadOnlySet<string> features;
        if (answer is null)
        {
            features = new HashSet<string>();
        }
        else if (query.Hash == "sha-1")
        {
            if (CapsHash.Verifies(answer, query.Ver))
            {
                features = FeaturesIn(answer);
                caps.Remember(query.Ver, features);
            }
            else
            {
                // §5.4: a mismatch is not cached and not believed; the resource gets no events.
                LogMismatch(logger, query.Resource.ToString(), query.Ver);
                features = new HashSet<string>();
            }
        }
        else
        {
            // Legacy caps or a hash we do not compute: believed for this resource only, never cached by 'ver'.
            features = FeaturesIn(answer);
        }

        if (caps.Find(query.Resource) is not { } entry || entry.Ver != query.Ver)
        {
            return true; // gone offline or changed caps meanwhile
        }

        entry.Features = features;
        var target = new PepNotificationTarget(query.Resource, features);
        if (query.Resource.Domain == domain)
        {
            await pep.LocalResourceAvailableAsync(target, cancellationToken).ConfigureAwait(false);
            return true;
        }

        Jid[] owners;
        lock (entry.ServedOwners)
        {
            owners = [.. entry.ServedOwners];
        }

        foreach (var owner in owners)
        {
            await pep.SendLastItemsAsync(owner, target, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static HashSet<string> FeaturesIn(XmlElement query) =>
        query.Elements("feature", Namespaces.DiscoInfo).Select(f => f.GetAttribute("var")).OfType<string>().ToHashSet(StringComparer.Ordinal);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Entity capabilities of {Resource} do not verify: disco#info does not hash to ver {Ver}; ignored")]
    private static partial void LogMismatch(ILogger logger, string resource, string ver);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "Presence of {Resource} at a peer reached {Owner}: caps ver {Ver}, features known {Known}")]
    private static partial void LogPeerResource(ILogger logger, string resource, string owner, string ver, bool known);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Too many entity capability queries waiting; the caps of {Resource} stay unknown")]
    private static partial void LogTooManyQueries(ILogger logger, string resource);
}
