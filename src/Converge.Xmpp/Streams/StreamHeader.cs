using System.Buffers;
using System.Text;

namespace Converge.Xmpp.Streams;

/// <summary>The opening and closing tags of an XMPP stream (RFC 6120 §4.7), written as raw UTF-8.</summary>
internal static class StreamHeader
{
    public static void WriteOpen(IBufferWriter<byte> output, string? from, string? to, string id, string contentNamespace, string? lang)
    {
        var sb = new StringBuilder(256);
        sb.Append("<?xml version='1.0'?><stream:stream xmlns='").Append(contentNamespace)
          .Append("' xmlns:stream='").Append(Namespaces.Streams).Append('\'');
        Attribute(sb, "from", from);
        Attribute(sb, "to", to);
        Attribute(sb, "id", id);
        Attribute(sb, "xml:lang", lang);
        sb.Append(" version='1.0'>");
        Write(output, sb.ToString());
    }

    public static void WriteClose(IBufferWriter<byte> output) => output.Write("</stream:stream>"u8);

    private static void Attribute(StringBuilder sb, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        sb.Append(' ').Append(name).Append("='");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\'' => "&apos;",
                '&' => "&amp;",
                '<' => "&lt;",
                _ => c.ToString(),
            });
        }

        sb.Append('\'');
    }

    private static void Write(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var n = Encoding.UTF8.GetBytes(text, span);
        output.Advance(n);
    }
}
