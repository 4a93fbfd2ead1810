using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>What a XEP-0155 stanza does to a chat session.</summary>
public enum SessionAction
{
    None,
    Request,
    Accept,
    Decline,
    Terminate,
}

/// <summary>
/// XEP-0155 stanza session negotiation: a data form (FORM_TYPE urn:xmpp:ssn) inside a feature
/// negotiation element, carried by a message. Reads what a CPM client sent, and writes what the
/// interworking function tells a CPM client on a legacy user's behalf.
/// </summary>
public static class SessionNegotiation
{
    public const string FeatureNeg = "http://jabber.org/protocol/feature-neg";
    public const string FormType = "urn:xmpp:ssn";

    public static SessionAction Read(XmlElement message)
    {
        var form = message.Element("feature", FeatureNeg)?.Element("x", Namespaces.DataForms);
        if (form is null)
        {
            return SessionAction.None;
        }

        string? Value(string var) => form.Elements("field", Namespaces.DataForms).FirstOrDefault(f => f.GetAttribute("var") == var)?.ChildText("value", Namespaces.DataForms)?.Trim();
        if (Value("terminate") is "1" or "true")
        {
            return SessionAction.Terminate;
        }

        return form.GetAttribute("type") switch
        {
            "form" => SessionAction.Request,
            "submit" => Value("accept") is "1" or "true" ? SessionAction.Accept : SessionAction.Decline,
            _ => SessionAction.None,
        };
    }

    /// <summary>The &lt;feature/&gt; element for <paramref name="action"/>.</summary>
    public static XmlElement Build(SessionAction action)
    {
        var feature = new XmlElement("feature", FeatureNeg);
        var x = feature.AddElement("x", Namespaces.DataForms).SetAttribute("type", action == SessionAction.Request ? "form" : "submit");
        x.AddElement("field").SetAttribute("var", "FORM_TYPE").SetAttribute("type", "hidden").AddElement("value").AddText(FormType);
        switch (action)
        {
            case SessionAction.Request:
                var accept = x.AddElement("field").SetAttribute("var", "accept").SetAttribute("type", "boolean");
                accept.AddElement("value").AddText("true");
                accept.AddElement("required");
                break;
            case SessionAction.Accept or SessionAction.Decline:
                x.AddElement("field").SetAttribute("var", "accept").AddElement("value").AddText(action == SessionAction.Accept ? "1" : "0");
                break;
            case SessionAction.Terminate:
                x.AddElement("field").SetAttribute("var", "terminate").AddElement("value").AddText("1");
                break;
        }

        return feature;
    }
}
