using System.Globalization;
using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>IQs to a room: disco, the admin (§8–§9) and owner (§10) protocols, its archive, self-ping (XEP-0410).</summary>
internal sealed partial class Room
{
    private async Task HandleIqAsync(Stanza stanza)
    {
        if (stanza.Type is "result" or "error")
        {
            return;
        }

        var payload = stanza.Element.FirstElement();
        if (payload is null)
        {
            Refuse(stanza, "bad-request");
            return;
        }

        if (stanza.To!.Resource is { } nick)
        {
            // XEP-0410: an occupant pinging its own nick learns whether it is still joined.
            if (payload.Name == "ping" && payload.Namespace == Namespaces.Ping && stanza.Type == "get")
            {
                if (OccupantByRealJid(stanza.From!) is not null && OccupantByNick(nick) is not null)
                {
                    Result(stanza, null);
                }
                else
                {
                    Refuse(stanza, "not-acceptable", "You are not an occupant of this room.");
                }

                return;
            }

            Refuse(stanza, "service-unavailable");
            return;
        }

        var set = stanza.Type == "set";
        switch (payload.Namespace)
        {
            case Namespaces.DiscoInfo when !set:
                Result(stanza, DiscoInfo());
                return;
            case Namespaces.DiscoItems when !set:
                Result(stanza, new XmlElement("query", Namespaces.DiscoItems));
                return;
            case Namespaces.Ping when !set:
                Result(stanza, null);
                return;
            case MucNamespaces.Admin:
                await AdminAsync(stanza, payload, set).ConfigureAwait(false);
                return;
            case MucNamespaces.Owner:
                await OwnerAsync(stanza, payload, set).ConfigureAwait(false);
                return;
            case Namespaces.Mam when payload.Name == "query":
                if (!Configuration.Archived
                    || !RoomPermissions.MayReadArchive(AffiliationOf(stanza.From!), Configuration, OccupantByRealJid(stanza.From!) is not null))
                {
                    Refuse(stanza, "forbidden", "You may not read this room's archive.");
                    return;
                }

                await _host.QueryArchiveAsync(this, stanza).ConfigureAwait(false);
                return;
            default:
                Refuse(stanza, "service-unavailable");
                return;
        }
    }

    private void Result(Stanza request, XmlElement? payload)
    {
        var reply = new XmlElement("iq", Namespaces.Client)
            .SetAttribute("type", "result")
            .SetAttribute("from", request.Element.GetAttribute("to"))
            .SetAttribute("to", request.From!.ToString())
            .SetAttribute("id", request.Id);
        if (payload is not null)
        {
            reply.Add(payload);
        }

        _host.Send(reply);
    }

    private XmlElement DiscoInfo()
    {
        var c = Configuration;
        var query = new XmlElement("query", Namespaces.DiscoInfo);
        query.AddElement("identity").SetAttribute("category", "conference").SetAttribute("type", "text")
            .SetAttribute("name", c.Name.Length > 0 ? c.Name : Jid.Local);
        string[] features =
        [
            MucNamespaces.Muc, MucNamespaces.StableId, MucNamespaces.SelfPing, MucNamespaces.OccupantId, MucNamespaces.Request,
            Namespaces.StanzaId, Namespaces.DiscoInfo, Namespaces.Ping,
            c.Persistent ? "muc_persistent" : "muc_temporary",
            c.Public ? "muc_public" : "muc_hidden",
            c.MembersOnly ? "muc_membersonly" : "muc_open",
            c.PasswordProtected ? "muc_passwordprotected" : "muc_unsecured",
            c.Moderated ? "muc_moderated" : "muc_unmoderated",
            c.NonAnonymous ? "muc_nonanonymous" : "muc_semianonymous",
            .. c.Archived ? [Namespaces.Mam] : Array.Empty<string>(),
        ];
        foreach (var feature in features)
        {
            query.AddElement("feature").SetAttribute("var", feature);
        }

        var form = query.AddElement("x", Namespaces.DataForms).SetAttribute("type", "result");
        form.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(MucNamespaces.RoomInfo);
        form.AddElement("field").SetAttribute("var", "muc#roominfo_description").AddElement("value").AddText(c.Description);
        form.AddElement("field").SetAttribute("var", "muc#roominfo_occupants").AddElement("value").AddText(OccupantCount.ToString(CultureInfo.InvariantCulture));
        form.AddElement("field").SetAttribute("var", "muc#roominfo_subject").AddElement("value").AddText(Subject ?? "");
        return query;
    }

    /// <summary>The muc#admin protocol: roles (kick, voice, moderator) and affiliations (member, admin, owner, ban).</summary>
    private async Task AdminAsync(Stanza stanza, XmlElement query, bool set)
    {
        var actorJid = stanza.From!;
        var actorAffiliation = AffiliationOf(actorJid);
        var actor = OccupantByRealJid(actorJid);
        var items = query.Elements("item", MucNamespaces.Admin).ToList();
        if (items.Count == 0 || items.Count > 100)
        {
            Refuse(stanza, "bad-request", "Name between 1 and 100 items.");
            return;
        }

        if (!set)
        {
            AdminList(stanza, items[0], actorAffiliation, actor);
            return;
        }

        // Check every item before changing anything: a list applies whole or not at all.
        var roleChanges = new List<(Occupant Target, MucRole Role, string? Reason)>();
        var affiliationChanges = new List<(Jid Target, MucAffiliation Affiliation, string? Reason)>();
        foreach (var item in items)
        {
            var reason = item.ChildText("reason", MucNamespaces.Admin);
            if (item.GetAttribute("role") is { } roleText)
            {
                if (!MucNames.TryParseRole(roleText, out var role) || item.GetAttribute("nick") is not { } nick)
                {
                    Refuse(stanza, "bad-request", "A role change names a valid role and an occupant's nick.");
                    return;
                }

                if (OccupantByNick(nick) is not { } target)
                {
                    Refuse(stanza, "item-not-found", $"Nobody in the room is called {nick}.");
                    return;
                }

                if (actor is null || !RoomPermissions.MayChangeRole(actor.Role, actorAffiliation, AffiliationOf(target.RealJid), target.Role, role))
                {
                    Refuse(stanza, "not-allowed", $"You may not make {nick} a {roleText}.");
                    return;
                }

                roleChanges.Add((target, role, reason));
            }
            else if (item.GetAttribute("affiliation") is { } affiliationText)
            {
                Jid? target = null;
                if (item.GetAttribute("jid") is { } jidText)
                {
                    if (!Jid.TryParse(jidText, out target))
                    {
                        Refuse(stanza, "jid-malformed");
                        return;
                    }
                }
                else if (item.GetAttribute("nick") is { } nick && OccupantByNick(nick) is { } occupant)
                {
                    target = occupant.RealJid;
                }

                if (!MucNames.TryParseAffiliation(affiliationText, out var affiliation) || target is null)
                {
                    Refuse(stanza, "bad-request", "An affiliation change names a valid affiliation and a JID.");
                    return;
                }

                if (!RoomPermissions.MayChangeAffiliation(actorAffiliation, AffiliationOf(target), affiliation))
                {
                    Refuse(stanza, "not-allowed", $"You may not make {target.Bare} {affiliationText}.");
                    return;
                }

                affiliationChanges.Add((target.Bare, affiliation, reason));
            }
            else
            {
                Refuse(stanza, "bad-request", "Each item names a role or an affiliation.");
                return;
            }
        }

        var owners = _affiliations.Values.Count(a => a == MucAffiliation.Owner)
            - affiliationChanges.Count(c => AffiliationOf(c.Target) == MucAffiliation.Owner && c.Affiliation != MucAffiliation.Owner)
            + affiliationChanges.Count(c => AffiliationOf(c.Target) != MucAffiliation.Owner && c.Affiliation == MucAffiliation.Owner);
        if (owners < 1)
        {
            Refuse(stanza, "conflict", "A room keeps at least one owner (§10.6).");
            return;
        }

        Result(stanza, null);
        foreach (var (target, role, reason) in roleChanges)
        {
            if (role == MucRole.None)
            {
                await LeaveAsync(target, [307], actor!.Nick, reason).ConfigureAwait(false); // §8.2 kick
            }
            else
            {
                target.Role = role;
                Broadcast(target, unavailable: false);
            }
        }

        foreach (var (target, affiliation, reason) in affiliationChanges)
        {
            await ChangeAffiliationAsync(target, affiliation, actor?.Nick, reason).ConfigureAwait(false);
        }

        await SaveAsync().ConfigureAwait(false);
    }

    private async Task ChangeAffiliationAsync(Jid user, MucAffiliation affiliation, string? actorNick, string? reason)
    {
        if (affiliation == MucAffiliation.None)
        {
            _affiliations.Remove(user);
        }
        else
        {
            _affiliations[user] = affiliation;
        }

        foreach (var occupant in _byNick.Values.Where(o => o.RealJid.Bare == user).ToList())
        {
            if (affiliation == MucAffiliation.Outcast)
            {
                await LeaveAsync(occupant, [301], actorNick, reason).ConfigureAwait(false); // §9.1 ban
            }
            else if (Configuration.MembersOnly && affiliation < MucAffiliation.Member)
            {
                await LeaveAsync(occupant, [321], actorNick, reason).ConfigureAwait(false); // §9.4 membership revoked
            }
            else
            {
                occupant.Role = RoomPermissions.RoleOnEntry(affiliation, Configuration);
                Broadcast(occupant, unavailable: false);
            }
        }
    }

    private void AdminList(Stanza stanza, XmlElement request, MucAffiliation actorAffiliation, Occupant? actor)
    {
        var result = new XmlElement("query", MucNamespaces.Admin);
        if (MucNames.TryParseAffiliation(request.GetAttribute("affiliation"), out var affiliation) && affiliation != MucAffiliation.None)
        {
            if (!RoomPermissions.MayReadAffiliationList(actorAffiliation))
            {
                Refuse(stanza, "forbidden", "Only admins and owners read affiliation lists.");
                return;
            }

            foreach (var (user, a) in _affiliations.Where(p => p.Value == affiliation).OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
            {
                result.AddElement("item").SetAttribute("affiliation", MucNames.Of(a)).SetAttribute("jid", user.ToString());
            }
        }
        else if (MucNames.TryParseRole(request.GetAttribute("role"), out var role) && role != MucRole.None)
        {
            if (actor?.Role != MucRole.Moderator)
            {
                Refuse(stanza, "forbidden", "Only moderators read role lists.");
                return;
            }

            foreach (var occupant in _byNick.Values.Where(o => o.Role == role))
            {
                result.AddElement("item").SetAttribute("role", MucNames.Of(role)).SetAttribute("nick", occupant.Nick)
                    .SetAttribute("affiliation", MucNames.Of(AffiliationOf(occupant.RealJid))).SetAttribute("jid", occupant.RealJid.ToString());
            }
        }
        else
        {
            Refuse(stanza, "bad-request", "Ask for one affiliation or role.");
            return;
        }

        Result(stanza, result);
    }

    /// <summary>The muc#owner protocol: the configuration form, instant and reserved rooms, destruction.</summary>
    private async Task OwnerAsync(Stanza stanza, XmlElement query, bool set)
    {
        if (!RoomPermissions.MayConfigure(AffiliationOf(stanza.From!)))
        {
            Refuse(stanza, "forbidden", "Only owners configure or destroy the room.");
            return;
        }

        if (!set)
        {
            Result(stanza, new XmlElement("query", MucNamespaces.Owner).Add(RoomConfigForm.Build(Configuration, _limits.MaxOccupants, _limits.HistorySize)));
            return;
        }

        if (query.Element("destroy", MucNamespaces.Owner) is { } destroy)
        {
            Jid.TryParse(destroy.GetAttribute("jid"), out var alternate);
            Result(stanza, null);
            await DestroyAsync(alternate, destroy.ChildText("reason", MucNamespaces.Owner), notify: true).ConfigureAwait(false);
            return;
        }

        var form = query.Element("x", Namespaces.DataForms);
        switch (form?.GetAttribute("type"))
        {
            case "cancel":
                Result(stanza, null);
                if (Locked)
                {
                    await DestroyAsync(null, null, notify: true).ConfigureAwait(false); // §10.1.3: creation cancelled
                }

                return;
            case "submit":
                if (!RoomConfigForm.TryApply(form, Configuration, _limits.MaxOccupants, _limits.HistorySize, out var configuration, out var problem))
                {
                    Refuse(stanza, "not-acceptable", problem);
                    return;
                }

                await ReconfigureAsync(stanza, configuration).ConfigureAwait(false);
                return;
            default:
                Refuse(stanza, "bad-request", "Submit or cancel the configuration form, or destroy the room.");
                return;
        }
    }

    private async Task ReconfigureAsync(Stanza stanza, RoomConfiguration configuration)
    {
        var wasLocked = Locked;
        var old = Configuration;
        Configuration = configuration;
        History.Capacity = configuration.HistorySize;
        Locked = false;
        Result(stanza, null);
        if (old.Persistent && !configuration.Persistent)
        {
            await _host.ForgetAsync(this, keepArchive: true).ConfigureAwait(false);
        }

        await SaveAsync().ConfigureAwait(false);
        if (configuration.MembersOnly && !old.MembersOnly)
        {
            foreach (var occupant in _byNick.Values.Where(o => AffiliationOf(o.RealJid) < MucAffiliation.Member).ToList())
            {
                await LeaveAsync(occupant, [322]).ConfigureAwait(false); // §9.7: the room became members-only
            }
        }

        if (!wasLocked)
        {
            // §10.2.1: occupants learn that the configuration changed (104), and about logging (170/171).
            foreach (var occupant in _byNick.Values)
            {
                var message = new XmlElement("message", Namespaces.Client)
                    .SetAttribute("type", "groupchat")
                    .SetAttribute("from", Jid.ToString())
                    .SetAttribute("to", occupant.RealJid.ToString());
                var x = message.AddElement("x", MucNamespaces.User);
                x.AddElement("status").SetAttribute("code", "104");
                if (old.Archived != configuration.Archived)
                {
                    x.AddElement("status").SetAttribute("code", configuration.Archived ? "170" : "171");
                }

                if (old.NonAnonymous != configuration.NonAnonymous)
                {
                    x.AddElement("status").SetAttribute("code", configuration.NonAnonymous ? "172" : "173");
                }

                Deliver(occupant, message);
            }
        }
    }
}
