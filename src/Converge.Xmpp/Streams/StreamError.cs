using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Streams;

/// <summary>
/// A stream-level error (RFC 6120 §4.9): the stream is closed after it is sent.
/// Conditions are the element names of §4.9.3, e.g. "not-well-formed", "policy-violation".
/// </summary>
public sealed class StreamError(string condition, string? text = null) : Exception(text ?? condition)
{
    public string Condition { get; } = condition;

    public string? Text { get; } = text;

    public XmlElement ToElement()
    {
        var error = new XmlElement("error", Namespaces.Streams);
        error.AddElement(Condition, Namespaces.StreamErrors);
        if (!string.IsNullOrEmpty(Text))
        {
            error.AddElement("text", Namespaces.StreamErrors).SetAttribute("xml:lang", "en").AddText(Text);
        }

        return error;
    }
}
