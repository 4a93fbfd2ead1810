using Converge.Core.Addressing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Support;

/// <summary>A stanza from its XML, with its kind and addresses read as the router reads them.</summary>
internal static class TestStanza
{
    public static Stanza Parse(string xml)
    {
        var element = XmlFragment.Parse(xml, new XmlLimits())!;
        Stanza.TryGetKind(element, out var kind);
        Jid.TryParse(element.GetAttribute("from"), out var from);
        Jid.TryParse(element.GetAttribute("to"), out var to);
        return new Stanza(element, kind, from, to);
    }
}
