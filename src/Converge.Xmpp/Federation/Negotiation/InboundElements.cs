using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>Names the kind of an element a peer sent by its name and namespace alone (no payload is read).</summary>
internal static class InboundElements
{
    public static InboundElement Classify(XmlElement element) => element.Namespace switch
    {
        Namespaces.Tls when element.Name == "starttls" => InboundElement.StartTls,
        Namespaces.Sasl => InboundElement.Sasl,
        FederationNamespaces.Dialback when element.Name == "result" => InboundElement.DialbackResult,
        FederationNamespaces.Dialback when element.Name == "verify" => InboundElement.DialbackVerify,
        Namespaces.Streams when element.Name == "error" => InboundElement.StreamError,

        // By name only: a stanza in another namespace is a stanza the intake refuses with invalid-namespace.
        _ => Stanza.TryGetKind(element, out _) ? InboundElement.Stanza : InboundElement.Other,
    };
}
