namespace Converge.Xmpp.Xml;

/// <summary>
/// The bytes received break the rules; <see cref="Condition"/> is the RFC 6120 §4.9.3 stream
/// error condition to send: "not-well-formed", "restricted-xml", "policy-violation",
/// "bad-namespace-prefix", "invalid-namespace", "unsupported-encoding", "invalid-xml".
/// </summary>
public sealed class XmlStreamException(string condition, string message) : Exception(message)
{
    public string Condition { get; } = condition;
}
