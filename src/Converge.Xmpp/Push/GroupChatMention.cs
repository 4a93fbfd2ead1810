using Converge.Core.Addressing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Push;

/// <summary>
/// Whether a room message mentions an occupant, as the clients that highlight it decide: the nick
/// in the body as a word of its own (case-insensitive, not inside a longer word), or a XEP-0372
/// mention reference to the occupant's room JID. A message from the occupant's own nick never is.
/// Pure, so that the rule is tested on its own.
/// </summary>
internal static class GroupChatMention
{
    private const string References = "urn:xmpp:reference:0";

    public static bool Mentions(XmlElement message, Jid from, string nick)
    {
        if (from.Resource == nick)
        {
            return false; // one's own words, echoed by the room
        }

        var occupant = "xmpp:" + from.Bare + "/" + nick;
        foreach (var reference in message.Elements("reference", References))
        {
            if (reference.GetAttribute("type") == "mention" && reference.GetAttribute("uri") == occupant)
            {
                return true;
            }
        }

        return message.ChildText("body", Namespaces.Client) is { } body && ContainsWord(body, nick);
    }

    private static bool ContainsWord(string body, string nick)
    {
        for (var at = body.IndexOf(nick, StringComparison.OrdinalIgnoreCase); at >= 0; at = body.IndexOf(nick, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + nick.Length;
            if ((at == 0 || !char.IsLetterOrDigit(body[at - 1])) && (end == body.Length || !char.IsLetterOrDigit(body[end])))
            {
                return true;
            }
        }

        return false;
    }
}
