namespace Converge.Xmpp.Xml;

/// <summary>Namespace URIs the XML layer itself must know (the stream layer has its own list).</summary>
internal static class XmlNamespaceNames
{
    public const string Streams = "http://etherx.jabber.org/streams";

    /// <summary>Bound to the prefix "xml" by definition.</summary>
    public const string Xml = "http://www.w3.org/XML/1998/namespace";

    /// <summary>Bound to the prefix "xmlns" by definition; never declarable.</summary>
    public const string Xmlns = "http://www.w3.org/2000/xmlns/";
}
