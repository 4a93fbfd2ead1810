using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>Names the kind of a negotiation element by its name and namespace alone (no payload is read).</summary>
internal static class NegotiationElements
{
    public static NegotiationElement Classify(XmlElement element) => element.Namespace switch
    {
        Namespaces.Tls when element.Name == "starttls" => NegotiationElement.StartTls,
        Namespaces.Sasl => NegotiationElement.Sasl,
        Namespaces.Client when element.Name == "iq" => NegotiationElement.ClientIq,
        StreamManagement.Namespace => NegotiationElement.StreamManagement,
        _ => NegotiationElement.Other,
    };
}
