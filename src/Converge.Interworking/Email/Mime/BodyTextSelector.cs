using MimeKit;
using MimeKit.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// Picks the text a person would read from MimeKit's MIME tree: plain text wherever there is some
/// (preferred inside multipart/alternative), HTML converted only when there is no plain text.
/// </summary>
internal static class BodyTextSelector
{
    public static (string? Text, bool FromHtml) Select(MimeEntity? root)
    {
        if (root is null)
        {
            return (null, false);
        }

        var plain = Find(root, allowHtml: false);
        if (plain is not null)
        {
            return (plain, false);
        }

        var html = Find(root, allowHtml: true);
        return (html, html is not null);
    }

    private static string? Find(MimeEntity entity, bool allowHtml)
    {
        switch (entity)
        {
            case Multipart { Boundary: null } broken:
                // No boundary to split on: MimeKit keeps the whole body as the preamble; readers show it as text.
                return broken.Count == 0 ? broken.Preamble : null;
            case Multipart multipart:
                return multipart.ContentType.MediaSubtype.ToLowerInvariant() switch
                {
                    "alternative" => Alternative(multipart, allowHtml),
                    "related" or "signed" or "report" => multipart.Count > 0 ? Find(multipart[0], allowHtml) : null,
                    "encrypted" => null,
                    _ => Joined(multipart, allowHtml),
                };
            case TextPart text when !IsAttachment(text):
                if (text.IsPlain)
                {
                    return text.IsFlowed ? Unflow(text) : TextOf(text);
                }

                return allowHtml && text.IsHtml ? HtmlText.ToPlainText(TextOf(text)) : null;
            default:
                return null; // attachments, embedded messages, and multiparts nested past the depth limit (kept unread)
        }
    }

    /// <summary>An attachment by disposition, or any part that names a file.</summary>
    internal static bool IsAttachment(MimeEntity entity) => entity.IsAttachment || entity is MimePart { FileName: not null };

    private static string? Alternative(Multipart alternative, bool allowHtml)
    {
        foreach (var part in alternative)
        {
            if (Find(part, allowHtml: false) is { } plain)
            {
                return plain;
            }
        }

        if (!allowHtml)
        {
            return null;
        }

        // The last alternative is the richest (RFC 2046 §5.1.4).
        for (var i = alternative.Count - 1; i >= 0; i--)
        {
            if (Find(alternative[i], allowHtml: true) is { } text)
            {
                return text;
            }
        }

        return null;
    }

    // multipart/mixed and the unknown subtypes: inline text parts in order (Apple Mail splits the
    // text around an inline image into several text/plain parts).
    private static string? Joined(Multipart multipart, bool allowHtml)
    {
        var texts = multipart.Select(p => Find(p, allowHtml)).OfType<string>().Where(t => t.Length > 0).ToList();
        return texts.Count == 0 ? null : string.Join("\n\n", texts.Select(t => t.TrimEnd('\n')));
    }

    /// <summary>text/plain; format=flowed (RFC 3676): MimeKit joins the flowed lines, "delsp=yes" drops their trailing space.</summary>
    private static string Unflow(TextPart part)
    {
        var deleteSpace = string.Equals(part.ContentType.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase);
        return new FlowedToText { DeleteSpace = deleteSpace }.Convert(TextOf(part)).ReplaceLineEndings("\n");
    }

    /// <summary>The part's text: its transfer encoding removed by MimeKit, its charset read as <see cref="Charsets"/> says, line endings as "\n".</summary>
    private static string TextOf(TextPart part)
    {
        if (part.Content is null)
        {
            return string.Empty;
        }

        using var decoded = new MemoryStream();
        part.Content.DecodeTo(decoded);
        return Charsets.Decode(decoded.GetBuffer().AsSpan(0, (int)decoded.Length), part.ContentType.Charset)
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace('\r', '\n');
    }
}
