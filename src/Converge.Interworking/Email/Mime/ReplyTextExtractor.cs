using System.Text.RegularExpressions;

namespace Converge.Interworking.Email;

/// <summary>
/// The new text of a reply without the history a mail client quoted under it: a trailing block
/// of "&gt;" lines (with the "On ... wrote:" line before it), everything from an Outlook
/// "-----Original Message-----" or "From:/Sent:" header block on, and a signature after "-- ".
/// Only what is recognisable is removed; text interleaved with quotes is kept whole.
/// </summary>
public static partial class ReplyTextExtractor
{
    public static string ExtractReplyText(MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ExtractReplyText(message.TextBody ?? string.Empty);
    }

    public static string ExtractReplyText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var cut = FindOutlookHistory(lines);
        if (cut >= 0)
        {
            lines.RemoveRange(cut, lines.Count - cut);
        }

        RemoveSignature(lines);
        RemoveTrailingQuote(lines);
        RemoveSignature(lines); // a signature above the quote of a top-posted reply
        var result = string.Join('\n', lines).Trim();
        return result.Length > 0 ? result : text.Trim(); // all history: better show it than nothing
    }

    private static int FindOutlookHistory(List<string> lines)
    {
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (OriginalMessage().IsMatch(line))
            {
                return i;
            }

            // Outlook on the web: a line of underscores, then the From: header block.
            if (line.Length >= 10 && line.All(c => c == '_') && NextNonEmpty(lines, i + 1) is { } next && HeaderLine().IsMatch(lines[next]))
            {
                return i;
            }

            // Outlook desktop: "From: ..." followed by "Sent:" (or "Date:") within a few lines.
            if (line.StartsWith("From:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("*From:*", StringComparison.OrdinalIgnoreCase))
            {
                for (var j = i + 1; j < Math.Min(lines.Count, i + 4); j++)
                {
                    if (SentLine().IsMatch(lines[j].Trim()))
                    {
                        return i;
                    }
                }
            }
        }

        return -1;
    }

    private static void RemoveTrailingQuote(List<string> lines)
    {
        var end = lines.Count;
        while (end > 0 && string.IsNullOrWhiteSpace(lines[end - 1]))
        {
            end--;
        }

        var start = end;
        while (start > 0 && (lines[start - 1].TrimStart().StartsWith('>') || string.IsNullOrWhiteSpace(lines[start - 1])))
        {
            start--;
        }

        while (start < end && string.IsNullOrWhiteSpace(lines[start]))
        {
            start++;
        }

        if (start == end)
        {
            return; // no quoted block at the end
        }

        // The attribution line (or two, when a client wrapped it) just above the quote.
        var attribution = start - 1;
        while (attribution >= 0 && string.IsNullOrWhiteSpace(lines[attribution]))
        {
            attribution--;
        }

        if (attribution >= 0 && IsAttribution(lines[attribution]))
        {
            start = attribution;
            if (attribution > 0 && !IsAttribution(lines[attribution - 1])
                && AttributionStart().IsMatch(lines[attribution - 1].Trim())
                && !AttributionStart().IsMatch(lines[attribution].Trim()))
            {
                start = attribution - 1;
            }
        }

        lines.RemoveRange(start, lines.Count - start);
    }

    /// <summary>
    /// An attribution line is short; a longer line is text and never reaches the regex, whose
    /// search for the closing colon is quadratic in the length of a line full of "wrote". The
    /// match timeout is a second bound: a line that takes too long is text, not an attribution.
    /// </summary>
    private static bool IsAttribution(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length > MaxAttributionLength)
        {
            return false;
        }

        try
        {
            return Attribution().IsMatch(trimmed);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Longest line taken for an "On ... wrote:" attribution, in characters.</summary>
    internal const int MaxAttributionLength = 1000;

    private static void RemoveSignature(List<string> lines)
    {
        // RFC 3676 §4.3 separator "-- "; many clients strip the trailing space, so a bare "--"
        // counts only close to the end.
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] == "-- " || (lines[i] == "--" && lines.Count - i <= 10))
            {
                lines.RemoveRange(i, lines.Count - i);
                return;
            }
        }
    }

    private static int? NextNonEmpty(List<string> lines, int from)
    {
        for (var i = from; i < lines.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(lines[i]))
            {
                return i;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^-{2,}\s*Original Message\s*-{2,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^\*?(From|De|Von|Van|Da):\*?\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^\*?(Sent|Date|Gesendet|Envoyé|Enviado|Datum):\*?\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SentLine();

    // "On Mon, 4 Mar 2024 at 10:00, Mary <mary@a.example> wrote:", "Am 04.03.2024 schrieb Mary <mary@a.example>:",
    // "Le 4 mars 2024, Mary a écrit :" and the like: the verb, then at most a name, then the colon.
    [GeneratedRegex(@"\b(wrote|schrieb|a écrit|escribió|ha scritto|skrev|schreef)[^:]*:$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^(On|Am|Le|El|Il|Op|Den)\s", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionStart();
}
