using System.Collections.Concurrent;
using System.Collections.Immutable;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>
/// XEP-0191 blocking: the block list IQs, pushes, and the check the router makes for every stanza.
/// Block lists are cached in memory per user (immutable sets swapped on change) so the check on the
/// routing hot path does no I/O after the first look.
/// </summary>
internal sealed class BlockingModule(
    IBlockListStore store, IRosterStore rosters, Server.AccountDirectory accounts, SessionRegistry sessions, StanzaRouter router, string domain,
    SpamReporting? reporting = null)
{
    private readonly ConcurrentDictionary<Jid, ImmutableHashSet<Jid>> _cache = new();

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Account, "blocklist", Namespaces.Blocking, HandleAsync, Namespaces.Blocking);
        iq.Register(IqTarget.Account, "block", Namespaces.Blocking, HandleAsync, Namespaces.Blocking);
        iq.Register(IqTarget.Account, "unblock", Namespaces.Blocking, HandleAsync, Namespaces.Blocking);
        iq.AddFeature(IqTarget.Server, Namespaces.Blocking);
        if (reporting is not null)
        {
            iq.AddFeature(IqTarget.Server, Namespaces.Reporting);
            iq.AddFeature(IqTarget.Server, Namespaces.ReportingLegacy);
        }
    }

    /// <summary>
    /// Does <paramref name="owner"/> block <paramref name="entity"/>? Matches full JID, bare JID, and domain
    /// (XEP-0191 §3.2, XEP-0016 matching), and a subscriber of ours under either of their names: a block
    /// of carol@domain holds for her number +E164@domain and the other way round. <paramref name="alsoKnownAs"/>
    /// is another address of the same entity (the account a number resolved to).
    /// </summary>
    public async ValueTask<bool> IsBlockedAsync(Jid owner, Jid entity, CancellationToken cancellationToken, Jid? alsoKnownAs = null)
    {
        var set = await GetAsync(owner.Bare, cancellationToken).ConfigureAwait(false);
        if (set.Count == 0)
        {
            return false;
        }

        if (Matches(set, entity) || (alsoKnownAs is not null && Matches(set, alsoKnownAs)))
        {
            return true;
        }

        var subscriber = Subscriber(entity) ?? (alsoKnownAs is null ? null : Subscriber(alsoKnownAs));
        return subscriber is not null && (Matches(set, subscriber.Jid.WithResource(entity.Resource))
            || (subscriber.Msisdn is { } msisdn && Matches(set, Jid.Create(msisdn, domain, entity.Resource))));
    }

    private Core.Accounts.Account? Subscriber(Jid jid) =>
        jid.Domain != domain || jid.Local is null ? null
        : E164.IsE164Localpart(jid.Local) ? accounts.FindByMsisdn(jid.Local) : accounts.Find(jid.Bare);

    private static bool Matches(ImmutableHashSet<Jid> set, Jid entity)
    {
        if (set.Contains(entity) || set.Contains(entity.Bare))
        {
            return true;
        }

        var domain = Jid.Parse(entity.Domain);
        return set.Contains(domain) || (entity.Resource is not null && set.Contains(domain.WithResource(entity.Resource)));
    }

    public void Forget(Jid owner) => _cache.TryRemove(owner, out _);

    private async ValueTask<ImmutableHashSet<Jid>> GetAsync(Jid owner, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(owner, out var set))
        {
            return set;
        }

        if (owner.Domain != domain || !accounts.Exists(owner))
        {
            return [];
        }

        var items = await store.GetAsync(owner, cancellationToken).ConfigureAwait(false);
        set = [.. items];
        return _cache.GetOrAdd(owner, set);
    }

    private async ValueTask HandleAsync(IqContext context)
    {
        if (!context.IsOwnAccount || context.Origin is null)
        {
            await context.ErrorAsync("forbidden").ConfigureAwait(false);
            return;
        }

        var owner = context.Origin.BareJid;
        var payload = context.Payload;
        switch (payload.Name)
        {
            case "blocklist" when !context.IsSet:
                if (!context.Origin.InterestedInBlockList)
                {
                    // Pushes from now on (XEP-0191 §3.3), also of blocks made through another node of a cluster.
                    context.Origin.InterestedInBlockList = true;
                    sessions.InterestsChanged(context.Origin);
                }

                var list = new XmlElement("blocklist", Namespaces.Blocking);
                foreach (var jid in await GetAsync(owner, CancellationToken.None).ConfigureAwait(false))
                {
                    list.AddElement("item").SetAttribute("jid", jid.ToString());
                }

                await context.ResultAsync(list).ConfigureAwait(false);
                return;
            case "block" or "unblock" when context.IsSet:
                break;
            default:
                await context.ErrorAsync("bad-request").ConfigureAwait(false);
                return;
        }

        var items = new List<Jid>();
        foreach (var item in payload.Elements("item", Namespaces.Blocking))
        {
            if (!Jid.TryParse(item.GetAttribute("jid"), out var jid))
            {
                await context.ErrorAsync("jid-malformed").ConfigureAwait(false);
                return;
            }

            items.Add(jid);
        }

        if (payload.Name == "block" && items.Count == 0)
        {
            await context.ErrorAsync("bad-request", "A block request names at least one item.").ConfigureAwait(false);
            return;
        }

        var before = await GetAsync(owner, CancellationToken.None).ConfigureAwait(false);
        ImmutableHashSet<Jid> after;
        List<Jid> changed;
        if (payload.Name == "block")
        {
            await store.AddAsync(owner, items).ConfigureAwait(false);
            after = before.Union(items);
            changed = [.. items.Where(i => !before.Contains(i))];
        }
        else
        {
            await store.RemoveAsync(owner, items).ConfigureAwait(false);
            after = items.Count == 0 ? [] : before.Except(items);
            changed = items.Count == 0 ? [.. before] : [.. items.Where(before.Contains)];
        }

        _cache[owner] = after;
        sessions.BlockListChanged(owner);
        if (payload.Name == "block" && reporting is not null)
        {
            await reporting.TakeAsync(owner, payload, CancellationToken.None).ConfigureAwait(false);
        }

        await context.ResultAsync().ConfigureAwait(false);
        Push(owner, payload);
        await UpdatePresenceAsync(owner, changed, blocked: payload.Name == "block").ConfigureAwait(false);
    }

    private void Push(Jid owner, XmlElement payload)
    {
        foreach (var s in sessions.SessionsOf(owner))
        {
            if (s.InterestedInBlockList)
            {
                var push = new XmlElement("iq", Namespaces.Client)
                    .SetAttribute("type", "set")
                    .SetAttribute("id", "block-push-" + Guid.NewGuid().ToString("N")[..8])
                    .SetAttribute("to", s.FullJid.ToString());
                push.Add(payload.Clone());
                s.Send(push);
            }
        }
    }

    /// <summary>Blocked contacts see the user go offline; unblocked subscribers see the current presence again (XEP-0191 §3.3, §3.4).</summary>
    private async ValueTask UpdatePresenceAsync(Jid owner, List<Jid> contacts, bool blocked)
    {
        foreach (var contact in contacts)
        {
            if (!blocked)
            {
                var item = await rosters.GetItemAsync(owner, contact.Bare).ConfigureAwait(false);
                if (item is null || !Core.Roster.SubscriptionStateMachine.SendsPresenceToContact(item.State))
                {
                    continue;
                }
            }

            foreach (var s in sessions.SessionsOf(owner))
            {
                if (s.Presence is not { } p)
                {
                    continue;
                }

                var presence = blocked ? new XmlElement("presence", Namespaces.Client).SetAttribute("type", "unavailable") : p.Clone();
                presence.SetAttribute("from", s.FullJid.ToString()).SetAttribute("to", contact.ToString());
                // Straight to delivery: the sender's own block check would stop it otherwise.
                await router.RouteAsync(new Stanza(presence, StanzaKind.Presence, s.FullJid, contact), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
