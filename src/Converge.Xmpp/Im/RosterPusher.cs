using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Xmpp.Client;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>Roster items as XML (RFC 6121 §2.1.2) and roster pushes to interested resources (§2.1.6).</summary>
internal sealed class RosterPusher(SessionRegistry sessions)
{
    private long _pushId;

    public static XmlElement ToXml(RosterItem item)
    {
        var e = new XmlElement("item", Namespaces.Roster).SetAttribute("jid", item.Contact.ToString());
        if (!string.IsNullOrEmpty(item.Name))
        {
            e.SetAttribute("name", item.Name);
        }

        e.SetAttribute("subscription", SubscriptionStateMachine.SubscriptionAttribute(item.State));
        if (SubscriptionStateMachine.AskAttribute(item.State))
        {
            e.SetAttribute("ask", "subscribe");
        }

        if (item.Approved)
        {
            e.SetAttribute("approved", "true");
        }

        foreach (var g in item.Groups)
        {
            e.AddElement("group").AddText(g);
        }

        return e;
    }

    /// <summary>
    /// The resource fetched its roster: from now on it gets pushes (§2.1.6), also of changes made
    /// through another node of a cluster, which learns it once here.
    /// </summary>
    public void Subscribe(ClientSession session)
    {
        if (!session.InterestedInRoster)
        {
            session.InterestedInRoster = true;
            sessions.InterestsChanged(session);
        }
    }

    public void Push(Jid owner, RosterItem item, long version) => Push(owner, ToXml(item), version);

    public void PushRemoval(Jid owner, Jid contact, long version) =>
        Push(owner, new XmlElement("item", Namespaces.Roster).SetAttribute("jid", contact.ToString()).SetAttribute("subscription", "remove"), version);

    private void Push(Jid owner, XmlElement itemXml, long version)
    {
        foreach (var session in sessions.SessionsOf(owner))
        {
            if (!session.InterestedInRoster)
            {
                continue;
            }

            var iq = new XmlElement("iq", Namespaces.Client)
                .SetAttribute("type", "set")
                .SetAttribute("id", "push" + Interlocked.Increment(ref _pushId).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .SetAttribute("to", session.FullJid.ToString());
            var query = iq.AddElement("query", Namespaces.Roster).SetAttribute("ver", RosterVersion.Format(version));
            query.Add(itemXml.Clone());
            session.Send(iq);
        }
    }
}
