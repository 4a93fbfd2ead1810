namespace Converge.Interworking.Email;

/// <summary>
/// msg-id lists of Message-ID, In-Reply-To and References (RFC 5322 §3.6.4). Ids are returned
/// without their angle brackets. Comments and stray words (some mailers copy a subject or a date into
/// In-Reply-To) are skipped; when there are no angle brackets at all, words containing "@" are taken.
/// </summary>
internal static class MessageIdParser
{
    public static List<string> ParseList(string? text, MimeDefectLog log)
    {
        var ids = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return ids;
        }

        var position = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '(')
            {
                MimeParameters.SkipComment(text, ref position);
            }
            else if (c == '"')
            {
                var close = text.IndexOf('"', position + 1);
                position = close < 0 ? text.Length : close + 1;
            }
            else if (c == '<')
            {
                var close = text.IndexOf('>', position + 1);
                if (close < 0)
                {
                    log.Flag(MimeDefects.InvalidStructuredHeader, $"Unterminated message id in '{text}'");
                    close = text.Length;
                }

                var id = string.Concat(text.AsSpan(position + 1, close - position - 1).ToString().Where(ch => !char.IsWhiteSpace(ch)));
                if (id.Length > 0)
                {
                    ids.Add(id);
                }

                position = close + 1;
            }
            else
            {
                position++;
            }
        }

        if (ids.Count == 0)
        {
            foreach (var word in text.Split([' ', '\t', ',', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.Contains('@', StringComparison.Ordinal))
                {
                    ids.Add(word.Trim('<', '>'));
                }
            }

            if (ids.Count > 0)
            {
                log.Flag(MimeDefects.InvalidStructuredHeader, $"Message ids without angle brackets in '{text}'");
            }
        }

        return ids;
    }
}
