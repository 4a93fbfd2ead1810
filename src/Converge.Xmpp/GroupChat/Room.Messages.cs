using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>Messages: to everyone, subject, private messages, invitations and voice requests (XEP-0045 §7.4–§7.9, §8.1).</summary>
internal sealed partial class Room
{
    private async Task HandleMessageAsync(Stanza stanza)
    {
        var from = stanza.From!;
        var sender = OccupantByRealJid(from);
        if (stanza.Type == "error")
        {
            // An occupant's session bounced what we sent it: it is gone (XEP-0045 §7.2 via RFC 6121 §8.5).
            if (sender is not null && stanza.To!.Resource is null)
            {
                await LeaveSessionAsync(sender, from, [333]).ConfigureAwait(false);
            }

            return;
        }

        if (stanza.Type == "groupchat")
        {
            if (stanza.To!.Resource is not null)
            {
                Refuse(stanza, "bad-request", "A groupchat message goes to the room, not to an occupant.");
                return;
            }

            await ToEveryoneAsync(stanza, sender).ConfigureAwait(false);
            return;
        }

        if (stanza.To!.Resource is { } nick)
        {
            PrivateMessage(stanza, sender, nick);
            return;
        }

        var x = stanza.Element.Element("x", MucNamespaces.User);
        if (x?.Element("invite", MucNamespaces.User) is not null)
        {
            await InviteAsync(stanza, sender, x).ConfigureAwait(false);
        }
        else if (x?.Element("decline", MucNamespaces.User) is { } decline)
        {
            Decline(from, decline);
        }
        else if (IsVoiceRequest(stanza.Element))
        {
            RequestVoice(stanza, sender);
        }
        else
        {
            Refuse(stanza, "bad-request", "Only groupchat messages, invitations and voice requests go to the room itself.");
        }
    }

    private async Task ToEveryoneAsync(Stanza stanza, Occupant? sender)
    {
        if (sender is null)
        {
            Refuse(stanza, "not-acceptable", "Only occupants may send messages to the room.");
            return;
        }

        var subject = stanza.Element.Element("subject", Namespaces.Client);
        var hasBody = stanza.Element.Element("body", Namespaces.Client) is not null;
        if (subject is not null && !hasBody)
        {
            if (!RoomPermissions.MayChangeSubject(sender.Role, Configuration))
            {
                Refuse(stanza, "forbidden", "You may not change the subject of this room.");
                return;
            }

            Subject = subject.Text;
            SubjectBy = sender.Nick;
            await SaveAsync().ConfigureAwait(false);
        }
        else if (!RoomPermissions.MaySpeak(sender.Role))
        {
            Refuse(stanza, "forbidden", "Visitors have no voice in this moderated room.");
            return;
        }

        var message = stanza.Element.Clone();
        message.SetAttribute("from", Jid.WithResource(sender.Nick).ToString());
        message.SetAttribute("to", null);
        var roomJid = Jid.ToString();

        // Nobody may put words in the room's mouth: ids claiming to be the room's are dropped.
        message.RemoveAll(n => n is XmlElement e
            && ((e.Name == "stanza-id" && e.Namespace == Namespaces.StanzaId && e.GetAttribute("by") == roomJid)
                || e.Namespace == MucNamespaces.OccupantId
                || (e.Name == "delay" && e.Namespace == Namespaces.Delay)));
        message.AddElement("occupant-id", MucNamespaces.OccupantId).SetAttribute("id", OccupantIdOf(sender.RealJid));
        if (Configuration.Archived && hasBody)
        {
            var id = await _host.ArchiveAsync(this, message).ConfigureAwait(false);
            message.AddElement("stanza-id", Namespaces.StanzaId).SetAttribute("by", roomJid).SetAttribute("id", id);
        }

        if (hasBody)
        {
            History.Add(message, DateTimeOffset.UtcNow);
        }

        foreach (var occupant in _byNick.Values)
        {
            Deliver(occupant, message.Clone());
        }
    }

    /// <summary>§7.5: between occupants, from the sender's room nick, never its real JID.</summary>
    private void PrivateMessage(Stanza stanza, Occupant? sender, string nick)
    {
        if (sender is null)
        {
            Refuse(stanza, "not-acceptable", "Only occupants may send private messages in the room.");
            return;
        }

        if (OccupantByNick(nick) is not { } recipient)
        {
            Refuse(stanza, "item-not-found", "Nobody in the room has that nickname.");
            return;
        }

        var message = stanza.Element.Clone()
            .SetAttribute("from", Jid.WithResource(sender.Nick).ToString())
            .SetAttribute("to", recipient.RealJid.ToString());
        if (message.Element("x", MucNamespaces.User) is null)
        {
            message.AddElement("x", MucNamespaces.User); // §7.5: marks it as a private message of the room
        }

        Deliver(recipient, message);
    }

    /// <summary>§7.8.2 mediated invitations; in a members-only room an invitation by an admin (or where invitations are allowed) makes a member.</summary>
    private async Task InviteAsync(Stanza stanza, Occupant? sender, XmlElement x)
    {
        var affiliation = AffiliationOf(stanza.From!);
        if (sender is null || !RoomPermissions.MayInvite(sender.Role, affiliation, Configuration))
        {
            Refuse(stanza, "forbidden", "You may not invite others to this room.");
            return;
        }

        var changed = false;
        foreach (var invite in x.Elements("invite", MucNamespaces.User))
        {
            if (!Jid.TryParse(invite.GetAttribute("to"), out var invitee))
            {
                Refuse(stanza, "jid-malformed", "The invitee's address is not a JID.");
                return;
            }

            if (Configuration.MembersOnly && AffiliationOf(invitee) == MucAffiliation.None)
            {
                _affiliations[invitee.Bare] = MucAffiliation.Member;
                changed = true;
            }

            var message = new XmlElement("message", Namespaces.Client)
                .SetAttribute("from", Jid.ToString())
                .SetAttribute("to", invitee.ToString());
            var user = message.AddElement("x", MucNamespaces.User);
            var forwarded = user.AddElement("invite").SetAttribute("from", stanza.From!.Bare.ToString());
            if (invite.ChildText("reason", MucNamespaces.User) is { } reason)
            {
                forwarded.AddElement("reason").AddText(reason);
            }

            if (Configuration.Password is { Length: > 0 } password)
            {
                user.AddElement("password").AddText(password);
            }

            message.AddElement("body", Namespaces.Client).AddText($"{stanza.From!.Bare} invites you to the room {Jid}");
            _host.Send(message);
        }

        if (changed)
        {
            await SaveAsync().ConfigureAwait(false);
        }
    }

    /// <summary>§7.8.2: the invitee's decline goes back to the inviter, from the room.</summary>
    private void Decline(Jid from, XmlElement decline)
    {
        if (!Jid.TryParse(decline.GetAttribute("to"), out var inviter))
        {
            return;
        }

        var message = new XmlElement("message", Namespaces.Client)
            .SetAttribute("from", Jid.ToString())
            .SetAttribute("to", inviter.ToString());
        var forwarded = message.AddElement("x", MucNamespaces.User).AddElement("decline").SetAttribute("from", from.Bare.ToString());
        if (decline.ChildText("reason", MucNamespaces.User) is { } reason)
        {
            forwarded.AddElement("reason").AddText(reason);
        }

        _host.Send(message);
    }

    private static bool IsVoiceRequest(XmlElement message) =>
        message.Element("x", Namespaces.DataForms)?.Elements("field", Namespaces.DataForms)
            .Any(f => f.GetAttribute("var") == "FORM_TYPE" && f.ChildText("value", Namespaces.DataForms) == MucNamespaces.Request) ?? false;

    /// <summary>§7.13: a visitor asks for voice; the moderators get the approval form.</summary>
    private void RequestVoice(Stanza stanza, Occupant? sender)
    {
        if (sender is null)
        {
            Refuse(stanza, "not-acceptable", "Only occupants may ask for voice.");
            return;
        }

        var answer = stanza.Element.Element("x", Namespaces.DataForms)!;
        if (answer.GetAttribute("type") == "submit")
        {
            // A moderator's approval (§8.6): the requester gets voice.
            var fields = answer.Elements("field", Namespaces.DataForms).ToDictionary(f => f.GetAttribute("var") ?? "", f => f.ChildText("value", Namespaces.DataForms));
            if (fields.GetValueOrDefault("muc#request_allow") is "true" or "1" && fields.GetValueOrDefault("muc#roomnick") is { } nick
                && OccupantByNick(nick) is { Role: MucRole.Visitor } requester
                && RoomPermissions.MayChangeRole(sender.Role, AffiliationOf(sender.RealJid), AffiliationOf(requester.RealJid), requester.Role, MucRole.Participant))
            {
                requester.Role = MucRole.Participant;
                Broadcast(requester, unavailable: false);
            }

            return;
        }

        var form = new XmlElement("x", Namespaces.DataForms).SetAttribute("type", "form");
        form.AddElement("title").AddText("Voice request");
        form.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(MucNamespaces.Request);
        form.AddElement("field").SetAttribute("var", "muc#role").SetAttribute("type", "list-single").AddElement("value").AddText("participant");
        form.AddElement("field").SetAttribute("var", "muc#jid").SetAttribute("type", "jid-single").AddElement("value").AddText(sender.RealJid.ToString());
        form.AddElement("field").SetAttribute("var", "muc#roomnick").SetAttribute("type", "text-single").AddElement("value").AddText(sender.Nick);
        form.AddElement("field").SetAttribute("var", "muc#request_allow").SetAttribute("type", "boolean").AddElement("value").AddText("false");
        foreach (var moderator in _byNick.Values.Where(o => o.Role == MucRole.Moderator))
        {
            Deliver(moderator, new XmlElement("message", Namespaces.Client)
                .SetAttribute("from", Jid.ToString())
                .SetAttribute("to", moderator.RealJid.ToString())
                .Add(form.Clone()));
        }
    }
}
