namespace Converge.Xmpp.Xml;

/// <summary>The RFC 6120 §4.9.3 conditions the parser raises, as exceptions ready to throw.</summary>
internal static class XmlErrors
{
    public const string NotWellFormedCondition = "not-well-formed";
    public const string RestrictedXmlCondition = "restricted-xml";
    public const string PolicyViolationCondition = "policy-violation";
    public const string BadNamespacePrefixCondition = "bad-namespace-prefix";
    public const string InvalidNamespaceCondition = "invalid-namespace";
    public const string UnsupportedEncodingCondition = "unsupported-encoding";

    public static XmlStreamException NotWellFormed(string message) => new(NotWellFormedCondition, message);

    public static XmlStreamException RestrictedXml(string message) => new(RestrictedXmlCondition, message);

    public static XmlStreamException PolicyViolation(string message) => new(PolicyViolationCondition, message);

    public static XmlStreamException BadNamespacePrefix(string message) => new(BadNamespacePrefixCondition, message);

    public static XmlStreamException InvalidNamespace(string message) => new(InvalidNamespaceCondition, message);

    public static XmlStreamException UnsupportedEncoding(string message) => new(UnsupportedEncodingCondition, message);
}
