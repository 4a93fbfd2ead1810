using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>Names the kind of a peer's answer by its name, namespace and (for dialback) verdict.</summary>
internal static class OutboundAnswers
{
    public static OutboundAnswer Classify(XmlElement element) => element.Namespace switch
    {
        Namespaces.Streams when element.Name == "features" => OutboundAnswer.Features,
        Namespaces.Tls when element.Name == "proceed" => OutboundAnswer.TlsProceed,
        Namespaces.Sasl when element.Name == "success" => OutboundAnswer.SaslSuccess,
        FederationNamespaces.Dialback when element.Name == "result" => element.GetAttribute("type") switch
        {
            "valid" => OutboundAnswer.DialbackValid,
            "invalid" => OutboundAnswer.DialbackInvalid,
            _ => OutboundAnswer.DialbackOther,
        },
        FederationNamespaces.Dialback when element.Name == "verify" => OutboundAnswer.VerifyVerdict,
        _ => OutboundAnswer.Other,
    };
}
