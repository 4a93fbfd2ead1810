using System.Buffers;

namespace Converge.Xmpp.Xml;

/// <summary>Incremental XMPP stream parser. (To be implemented: see the XML helper brief.)</summary>
public sealed class XmppStreamParser(XmlLimits limits)
{
    public XmlLimits Limits { get; } = limits;

    /// <summary>
    /// Reads at most one event from <paramref name="buffer"/>, slicing off every byte it has consumed
    /// (including bytes of an incomplete element, which it keeps in its own bounded state).
    /// Returns false when the buffer holds no complete event yet; the caller then advances its
    /// PipeReader to buffer.Start (consumed) / buffer.End (examined) and waits for more bytes.
    /// Throws <see cref="XmlStreamException"/> on a violation.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out XmppStreamEvent streamEvent)
        => throw new NotImplementedException();

    /// <summary>Forgets everything: used when the stream restarts after STARTTLS or SASL success.</summary>
    public void Reset() => throw new NotImplementedException();
}
