namespace Converge.Interworking.Email;

/// <summary>
/// Picks the text a person would read from a MIME tree: plain text wherever there is some
/// (preferred inside multipart/alternative), HTML converted only when there is no plain text.
/// </summary>
internal static class BodyTextSelector
{
    public static (string? Text, bool FromHtml) Select(MimeEntity root)
    {
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
        if (entity.IsMultipart)
        {
            return entity.ContentType.MediaSubtype switch
            {
                "alternative" => Alternative(entity, allowHtml),
                "related" or "signed" or "report" => entity.Parts.Count > 0 ? Find(entity.Parts[0], allowHtml) : null,
                "encrypted" => null,
                _ => Joined(entity, allowHtml),
            };
        }

        if (entity.IsAttachment || entity.Text is null)
        {
            return null;
        }

        if (entity.ContentType.Is("text", "plain"))
        {
            var flowed = entity.ContentType.Parameters.TryGetValue("format", out var format)
                && string.Equals(format, "flowed", StringComparison.OrdinalIgnoreCase);
            if (!flowed)
            {
                return entity.Text;
            }

            var deleteSpace = entity.ContentType.Parameters.TryGetValue("delsp", out var delsp)
                && string.Equals(delsp, "yes", StringComparison.OrdinalIgnoreCase);
            return FlowedText.Unflow(entity.Text, deleteSpace);
        }

        return allowHtml && entity.ContentType.Is("text", "html") ? HtmlText.ToPlainText(entity.Text) : null;
    }

    private static string? Alternative(MimeEntity entity, bool allowHtml)
    {
        foreach (var part in entity.Parts)
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
        for (var i = entity.Parts.Count - 1; i >= 0; i--)
        {
            if (Find(entity.Parts[i], allowHtml: true) is { } text)
            {
                return text;
            }
        }

        return null;
    }

    // multipart/mixed and the unknown subtypes: inline text parts in order (Apple Mail splits the
    // text around an inline image into several text/plain parts).
    private static string? Joined(MimeEntity entity, bool allowHtml)
    {
        var texts = entity.Parts.Select(p => Find(p, allowHtml)).OfType<string>().Where(t => t.Length > 0).ToList();
        return texts.Count == 0 ? null : string.Join("\n\n", texts.Select(t => t.TrimEnd('\n')));
    }
}
