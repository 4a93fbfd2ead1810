using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>Error replies as XEP-0045 clients match them.</summary>
internal static class MucError
{
    /// <summary>
    /// The error reply to a stanza; a refused join keeps its <c>&lt;x xmlns='…muc'/&gt;</c> (§7.2.6 ff.),
    /// by which clients tell a join error from other presence errors.
    /// </summary>
    public static XmlElement ReplyTo(XmlElement original, string condition, string? text)
    {
        var reply = StanzaError.ReplyTo(original, condition, text);
        if (original.Name == "presence" && original.Element("x", MucNamespaces.Muc) is { } join)
        {
            var x = join.Clone();
            x.RemoveAll(n => n is XmlElement { Name: "password" }); // a password is never echoed
            reply.Add(x);
        }

        return reply;
    }
}
