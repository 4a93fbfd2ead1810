using System.Globalization;
using Converge.Core.GroupChat;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>Builds the presence a room sends about an occupant (XEP-0045 §7.2.3) with its muc#user item and status codes.</summary>
internal static class MucPresence
{
    /// <param name="showJid">Whether the viewer may see the occupant's real JID (non-anonymous room, a moderator, or the occupant itself).</param>
    public static XmlElement About(Room room, Occupant occupant, Core.Addressing.Jid viewer, bool showJid, bool unavailable, params int[] codes)
    {
        var presence = new XmlElement("presence", Namespaces.Client)
            .SetAttribute("from", room.Jid.WithResource(occupant.Nick).ToString())
            .SetAttribute("to", viewer.ToString());
        if (unavailable)
        {
            presence.SetAttribute("type", "unavailable");
        }
        else
        {
            foreach (var child in occupant.Presence.Elements())
            {
                // What the occupant said of itself, without its own MUC payloads or any claim of ours.
                if (child.Namespace is not (MucNamespaces.Muc or MucNamespaces.User or MucNamespaces.OccupantId))
                {
                    presence.Add(child.Clone());
                }
            }
        }

        var x = presence.AddElement("x", MucNamespaces.User);
        var item = x.AddElement("item")
            .SetAttribute("affiliation", MucNames.Of(room.AffiliationOf(occupant.RealJid)))
            .SetAttribute("role", MucNames.Of(unavailable ? MucRole.None : occupant.Role));
        if (showJid)
        {
            item.SetAttribute("jid", occupant.RealJid.ToString());
        }

        foreach (var code in codes)
        {
            x.AddElement("status").SetAttribute("code", code.ToString(CultureInfo.InvariantCulture));
        }

        presence.AddElement("occupant-id", MucNamespaces.OccupantId).SetAttribute("id", room.OccupantIdOf(occupant.RealJid));
        return presence;
    }
}
