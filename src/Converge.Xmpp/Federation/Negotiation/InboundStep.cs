using System.Globalization;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation.Negotiation;

/// <summary>
/// One cell of <see cref="InboundNegotiationTable"/>: what the link does with an element in a state, the
/// state that leads to when it succeeds, and for a refusal the stream error (RFC 6120 §4.9.3) it ends with.
/// </summary>
/// <param name="Text">For a refusal, the error's text; "{0}" stands for the element refused.</param>
internal readonly record struct InboundStep(InboundAction Action, InboundLinkState Next, string? Condition = null, string? Text = null)
{
    /// <summary>The stream error a refusal ends the stream with.</summary>
    public StreamError Refusal(XmlElement element) =>
        new(Condition ?? "undefined-condition", Text is null ? null : string.Format(CultureInfo.InvariantCulture, Text, $"<{element.Name} xmlns='{element.Namespace}'/>"));
}
