using Converge.Core.Addressing;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Stanzas;

/// <summary>
/// A routed stanza: its element plus the addresses parsed once at the door, so handlers do not
/// re-parse JIDs. The element is owned by the router until delivered; after it is queued to a
/// session it must not be mutated (it may be shared between several recipients).
/// </summary>
public sealed class Stanza
{
    public Stanza(XmlElement element, StanzaKind kind, Jid? from, Jid? to)
    {
        Element = element;
        Kind = kind;
        From = from;
        To = to;
    }

    public XmlElement Element { get; }

    public StanzaKind Kind { get; }

    public Jid? From { get; }

    public Jid? To { get; }

    public string? Type => Element.GetAttribute("type");

    public string? Id => Element.GetAttribute("id");

    public static bool TryGetKind(XmlElement element, out StanzaKind kind)
    {
        switch (element.Name)
        {
            case "message":
                kind = StanzaKind.Message;
                return true;
            case "presence":
                kind = StanzaKind.Presence;
                return true;
            case "iq":
                kind = StanzaKind.Iq;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>A copy addressed to someone else (e.g. one per resource), the original untouched.</summary>
    public Stanza WithTo(Jid to)
    {
        var copy = Element.Clone();
        copy.SetAttribute("to", to.ToString());
        return new Stanza(copy, Kind, From, to);
    }
}
