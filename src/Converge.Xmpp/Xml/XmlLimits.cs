namespace Converge.Xmpp.Xml;

/// <summary>Limits the stream parser enforces on the bytes it reads.</summary>
public sealed class XmlLimits
{
    /// <summary>Largest top-level element (stanza), in bytes of its serialized form as received.</summary>
    public int MaxStanzaBytes { get; set; } = 256 * 1024;

    /// <summary>Deepest nesting inside a stanza (the stanza itself is depth 1).</summary>
    public int MaxDepth { get; set; } = 32;

    /// <summary>Most attributes (including namespace declarations) on one element.</summary>
    public int MaxAttributes { get; set; } = 32;

    /// <summary>Longest name (element, attribute, prefix) in bytes.</summary>
    public int MaxNameBytes { get; set; } = 256;

    /// <summary>Largest stream header (&lt;stream:stream ...&gt;) in bytes.</summary>
    public int MaxStreamHeaderBytes { get; set; } = 4096;
}
