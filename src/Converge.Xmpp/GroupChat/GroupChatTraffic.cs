using Converge.Core.Federation;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// Which stanzas crossing the interconnection are group chat (the agreement's <c>GroupChat</c> feature):
/// a MUC join, groupchat messages, mediated invitations, anything to or from our conference service,
/// and anything to or from a remote room one of our users joined.
/// </summary>
internal sealed class GroupChatTraffic(string? conferenceDomain, RemoteRooms remoteRooms)
{
    /// <summary>GroupChat, or null when the stanza is not group chat (the other features decide).</summary>
    public InterconnectionFeature? Classify(RoutedStanza routed, bool outbound)
    {
        var stanza = routed.Stanza;
        if (stanza.Type == "error" || (stanza.Kind == StanzaKind.Iq && stanza.Type == "result"))
        {
            return null; // answers follow the request that was checked
        }

        var isGroupChat = (stanza.Kind == StanzaKind.Presence && stanza.Element.Element("x", MucNamespaces.Muc) is not null)
            || (stanza.Kind == StanzaKind.Message && (stanza.Type == "groupchat" || stanza.Element.Element("x", MucNamespaces.User) is not null))
            || (conferenceDomain is not null && (outbound ? stanza.From?.Domain : stanza.To?.Domain) == conferenceDomain)
            || (outbound ? stanza.To : stanza.From) is { } remote && remoteRooms.Contains(remote);
        return isGroupChat ? InterconnectionFeature.GroupChat : null;
    }

    /// <summary>An outbound stanza the agreement let through: a join makes the room known as group chat.</summary>
    public void Passed(RoutedStanza routed)
    {
        var stanza = routed.Stanza;
        if (stanza.Kind == StanzaKind.Presence && stanza.Type is null && stanza.To is { } room && stanza.Element.Element("x", MucNamespaces.Muc) is not null)
        {
            remoteRooms.Joined(room);
        }
    }
}
