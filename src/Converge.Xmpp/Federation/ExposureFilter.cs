using Converge.Core.Federation;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// Removes the information elements an agreement does not expose (seed 000 §7.1.7) from what our
/// users send to a peer's users: provider branding (the disco#info provider form), device type
/// (entity capabilities in presence, client identities in disco#info) and access network.
/// </summary>
internal static class ExposureFilter
{
    public const string AccessNamespace = "urn:converge:access";
    public const string ProviderFormType = "urn:converge:provider";

    /// <summary>Returns the element to send: the original when nothing needs removing, else a filtered copy.</summary>
    public static XmlElement Apply(XmlElement stanza, ExposurePolicy expose)
    {
        if (expose.ProviderBranding && expose.DeviceType && expose.AccessNetwork)
        {
            return stanza;
        }

        XmlElement? copy = null;
        XmlElement Copy() => copy ??= stanza.Clone();

        if (stanza.Name == "presence")
        {
            if (!expose.DeviceType && stanza.Element("c", Namespaces.Caps) is not null)
            {
                Copy().RemoveAll(n => n is XmlElement { Name: "c", Namespace: Namespaces.Caps });
            }

            if (!expose.AccessNetwork && stanza.Element("access-network", AccessNamespace) is not null)
            {
                Copy().RemoveAll(n => n is XmlElement { Name: "access-network", Namespace: AccessNamespace });
            }
        }
        else if (stanza.Name == "iq" && stanza.Element("query", Namespaces.DiscoInfo) is { } query)
        {
            if (!expose.DeviceType && query.Elements("identity", Namespaces.DiscoInfo).Any(i => i.GetAttribute("category") == "client"))
            {
                Copy().Element("query", Namespaces.DiscoInfo)!.RemoveAll(n => n is XmlElement { Name: "identity" } i && i.GetAttribute("category") == "client");
            }

            if (!expose.ProviderBranding && query.Elements("x", Namespaces.DataForms).Any(IsProviderForm))
            {
                Copy().Element("query", Namespaces.DiscoInfo)!.RemoveAll(n => n is XmlElement x && IsProviderForm(x));
            }
        }

        return copy ?? stanza;
    }

    private static bool IsProviderForm(XmlElement x) =>
        x.Name == "x" && x.Namespace == Namespaces.DataForms
        && x.Elements("field", Namespaces.DataForms).Any(f => f.GetAttribute("var") == "FORM_TYPE" && f.ChildText("value", Namespaces.DataForms) == ProviderFormType);
}
