using System.Globalization;
using Converge.Core.Storage;
using Converge.Xmpp.Client;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Im;

/// <summary>
/// Message delivery to local users (RFC 6121 §8.5.2 and §8.5.3) and offline storage (XEP-0160):
/// a message nobody can take now is stored durably before anything else happens.
/// </summary>
internal sealed partial class MessageModule(SessionRegistry sessions, IOfflineStore offline, StanzaRouter router, string domain, Server.ClientLimits limits, XmlLimits xmlLimits, ILogger logger)
{
    private static readonly HashSet<string> TransientNamespaces =
    [
        "http://jabber.org/protocol/chatstates",
        "urn:xmpp:hints",
        "urn:xmpp:chat-markers:0",
    ];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Core.Addressing.Jid, SemaphoreSlim> _offlineDelivery = new();

    /// <returns>The sessions that got the message now (the recipient's other resources get carbons of it); null when none did.</returns>
    /// <param name="withinBound">
    /// Hand the message to a session only if it fits under the session's byte bound, else store it:
    /// for messages that already waited somewhere (an ended session's unacknowledged ones), which must
    /// not push the next session over its bound the moment it logs in.
    /// </param>
    public async ValueTask<IReadOnlyCollection<ClientSession>?> DeliverAsync(Stanza stanza, CancellationToken cancellationToken, bool withinBound = false)
    {
        var to = stanza.To!;
        var type = stanza.Type ?? "normal";
        if (to.Resource is not null)
        {
            var target = sessions.Find(to);
            if (target is not null && Hand(target, stanza.Element, withinBound))
            {
                return [target];
            }

            // §8.5.3.2: the resource is gone; chat/normal/headline fall back to the bare JID rules.
            if (type is "error" or "groupchat")
            {
                if (type == "groupchat")
                {
                    await router.BounceAsync(stanza, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
                }

                return null;
            }
        }

        if (type == "groupchat")
        {
            await router.BounceAsync(stanza, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (type == "error" && to.Resource is null)
        {
            return null; // §8.5.2.1.1 ... errors to a bare JID are silently ignored
        }

        if (DeliverToBestResources(stanza, withinBound) is { } delivered)
        {
            return delivered;
        }

        if (type == "headline")
        {
            return null;
        }

        // Storing and a resource's first look at its backlog exclude each other, and availability is
        // checked again inside: a message is never stored just after a new resource looked (it would
        // wait there until the next login) nor handed out twice.
        var gate = OfflineGate(to.Bare);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (DeliverToBestResources(stanza, withinBound) is { } late)
            {
                return late;
            }

            await StoreOfflineAsync(stanza, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }

        if (BestAvailable(to.Bare) is { } waiting && (withinBound || waiting.IsRemote))
        {
            // Stored only for want of room in a session that is online: hand it out at that session's
            // pace rather than leave it for the next login. A resource on another cluster node may have
            // come online while this was being stored, after its node looked at the backlog: the same.
            _ = DeliverOfflineInBackgroundAsync(waiting, CancellationToken.None);
        }

        return null;
    }

    private ClientSession? BestAvailable(Core.Addressing.Jid bare) =>
        sessions.SessionsOf(bare).Where(s => s.IsAvailable && !s.IsClosed && s.Priority >= 0).MaxBy(s => s.Priority);

    private SemaphoreSlim OfflineGate(Core.Addressing.Jid owner) => _offlineDelivery.GetOrAdd(owner, static _ => new SemaphoreSlim(1, 1));

    /// <summary>Delivers to the available resources with the highest non-negative priority (§8.5.2.1.1).</summary>
    private static bool Hand(ClientSession session, XmlElement element, bool withinBound) =>
        withinBound ? session.SendWithinBound(element) : session.Send(element);

    private List<ClientSession>? DeliverToBestResources(Stanza stanza, bool withinBound)
    {
        var resources = sessions.SessionsOf(stanza.To!.Bare);
        var best = int.MinValue;
        foreach (var s in resources)
        {
            if (s.IsAvailable && s.Priority >= 0 && s.Priority > best)
            {
                best = s.Priority;
            }
        }

        if (best == int.MinValue)
        {
            return null;
        }

        List<ClientSession>? delivered = null;
        foreach (var s in resources)
        {
            if (s.IsAvailable && s.Priority == best && Hand(s, stanza.Element, withinBound))
            {
                (delivered ??= []).Add(s);
            }
        }

        return delivered;
    }

    private async ValueTask StoreOfflineAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        if (!IsWorthStoring(stanza.Element))
        {
            return;
        }

        var owner = stanza.To!.Bare;
        var count = await offline.CountAsync(owner, cancellationToken).ConfigureAwait(false);
        if (count >= limits.MaxOfflineMessages)
        {
            LogOfflineFull(logger, owner.ToString());
            await router.BounceAsync(stanza, "service-unavailable", "The recipient's offline storage is full.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var copy = stanza.Element.Clone();
        copy.AddElement("delay", Namespaces.Delay)
            .SetAttribute("from", domain)
            .SetAttribute("stamp", now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .AddText("Offline storage");
        await offline.StoreAsync(owner, now, XmlWriter.ToXmlString(copy, Namespaces.Client), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Chat states and other transient payloads are not kept for later (XEP-0160 §3, XEP-0334).</summary>
    private static bool IsWorthStoring(XmlElement message)
    {
        if (message.Element("no-store", "urn:xmpp:hints") is not null)
        {
            return false;
        }

        foreach (var child in message.Elements())
        {
            if (child.Name is "body" or "subject" && child.Namespace == Namespaces.Client)
            {
                return true;
            }

            if (child.Namespace != Namespaces.Client && !TransientNamespaces.Contains(child.Namespace))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Hands stored messages to a session that just became available, in the order stored. A backlog
    /// larger than the session may hold (<see cref="Server.ClientLimits.MaxQueuedBytes"/>) is handed out
    /// in the background, paced by the client: each message waits until what the client has not yet
    /// taken (or, under XEP-0198, not yet acknowledged) is under half the bound. The caller - the
    /// client's own read loop - must not wait for that, since the acknowledgements arrive through it.
    /// </summary>
    public ValueTask DeliverOfflineAsync(ClientSession session, CancellationToken cancellationToken)
    {
        _ = DeliverOfflineInBackgroundAsync(session, cancellationToken);
        return ValueTask.CompletedTask;
    }

    private async Task DeliverOfflineInBackgroundAsync(ClientSession session, CancellationToken cancellationToken)
    {
        // Two resources coming online at once must not both get the backlog: the second waits until
        // the first has removed what it was given (XEP-0160: offline messages are delivered once).
        var gate = OfflineGate(session.BareJid);
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await DeliverOfflineOnceAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connection went away: what was not handed out stays stored for the next login.
        }
        catch (Exception e)
        {
            LogOfflineDeliveryFailed(logger, session.FullJid.ToString(), e);
        }
        finally
        {
            gate.Release();
        }
    }

    private async ValueTask DeliverOfflineOnceAsync(ClientSession session, CancellationToken cancellationToken)
    {
        var pace = Math.Max(1, session.MaxBytes / 2);
        while (true)
        {
            var batch = await offline.PeekAllAsync(session.BareJid, 200, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return;
            }

            var delivered = new List<long>(batch.Count);
            try
            {
                foreach (var message in batch)
                {
                    var element = XmlFragment.Parse(message.StanzaXml, xmlLimits);
                    if (element is not null)
                    {
                        await session.WaitForRoomAsync(XmlSize.Of(element), pace, cancellationToken).ConfigureAwait(false);
                    }

                    if (element is null || session.Send(element))
                    {
                        delivered.Add(message.Id);
                    }
                    else
                    {
                        break; // the session is closing: keep the rest for next time
                    }
                }
            }
            finally
            {
                // What was queued to the session is its responsibility now (resent, or stored again
                // when the session ends without it being acknowledged): never stored twice.
                await offline.RemoveAsync(session.BareJid, delivered, CancellationToken.None).ConfigureAwait(false);
            }

            if (delivered.Count < batch.Count)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 4500, Level = LogLevel.Warning, Message = "Handing stored messages to {Jid} failed")]
    private static partial void LogOfflineDeliveryFailed(ILogger logger, string jid, Exception exception);

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Offline storage of {Jid} is full; message refused")]
    private static partial void LogOfflineFull(ILogger logger, string jid);
}
