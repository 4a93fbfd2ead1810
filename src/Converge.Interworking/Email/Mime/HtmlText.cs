using System.Net;
using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// A crude HTML to plain text conversion for mail that has no plain text part: tags dropped,
/// block elements as line breaks, entities decoded, script/style/head content removed, and
/// blockquote content prefixed with "> " so quoted history (Gmail's gmail_quote, Apple Mail's
/// type=cite) reads like quoted plain text and can be trimmed the same way.
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<string> BlockElements = new(StringComparer.Ordinal)
    {
        "p", "div", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre",
        "dl", "dt", "dd", "header", "footer", "section", "article", "address", "center", "form", "body", "html",
    };

    private static readonly HashSet<string> SkippedElements = new(StringComparer.Ordinal) { "script", "style", "head", "title", "template" };

    public static string ToPlainText(string html)
    {
        var output = new Output();
        var position = 0;
        while (position < html.Length)
        {
            var c = html[position];
            if (c == '<')
            {
                position = Tag(html, position, output);
            }
            else if (c == '&')
            {
                position = Entity(html, position, output);
            }
            else if (char.IsWhiteSpace(c))
            {
                output.Space();
                position++;
            }
            else
            {
                output.Append(c);
                position++;
            }
        }

        return output.ToString();
    }

    private static int Tag(string html, int start, Output output)
    {
        if (string.CompareOrdinal(html, start, "<!--", 0, 4) == 0)
        {
            var endComment = html.IndexOf("-->", start + 4, StringComparison.Ordinal);
            return endComment < 0 ? html.Length : endComment + 3;
        }

        var end = TagEnd(html, start);
        var closing = start + 1 < html.Length && html[start + 1] == '/';
        var nameStart = start + (closing ? 2 : 1);
        var nameEnd = nameStart;
        while (nameEnd < end && char.IsAsciiLetterOrDigit(html[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd == nameStart)
        {
            if (!closing && html[Math.Min(nameStart, html.Length - 1)] is not ('!' or '?'))
            {
                output.Append('<'); // a lone '<' in text
                return start + 1;
            }

            return end;
        }

        var name = html[nameStart..nameEnd].ToLowerInvariant();
        if (!closing && SkippedElements.Contains(name))
        {
            var close = html.IndexOf("</" + name, end, StringComparison.OrdinalIgnoreCase);
            return close < 0 ? html.Length : TagEnd(html, close);
        }

        switch (name)
        {
            case "br":
                output.LineBreak();
                break;
            case "li":
                output.EndLine();
                if (!closing)
                {
                    output.Append("- ");
                }

                break;
            case "blockquote":
                output.EndLine();
                output.QuoteDepth = Math.Max(0, output.QuoteDepth + (closing ? -1 : 1));
                break;
            case "td" or "th" when closing:
                output.Space();
                break;
            default:
                if (BlockElements.Contains(name))
                {
                    output.EndLine();
                }

                break;
        }

        return end;
    }

    private static int TagEnd(string html, int start)
    {
        char quote = '\0';
        for (var i = start + 1; i < html.Length; i++)
        {
            var c = html[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }

        return html.Length;
    }

    private static int Entity(string html, int start, Output output)
    {
        var semicolon = html.IndexOf(';', start);
        if (semicolon > start && semicolon - start <= 10)
        {
            var entity = html[start..(semicolon + 1)];
            var decoded = WebUtility.HtmlDecode(entity);
            if (decoded != entity)
            {
                foreach (var c in decoded)
                {
                    if (c == '\u00A0')
                    {
                        output.Append(' '); // &nbsp; is a visible space that collapses nothing
                    }
                    else
                    {
                        output.Append(c);
                    }
                }

                return semicolon + 1;
            }
        }

        output.Append('&');
        return start + 1;
    }

    /// <summary>Text lines being built, with whitespace collapsed and quote prefixes added.</summary>
    private sealed class Output
    {
        private readonly StringBuilder _text = new();
        private readonly StringBuilder _line = new();
        private bool _pendingSpace;
        private int _blankLines;

        public int QuoteDepth { get; set; }

        public void Append(char c)
        {
            if (_pendingSpace && _line.Length > 0)
            {
                _line.Append(' ');
            }

            _pendingSpace = false;
            if (_line.Length == 0 && QuoteDepth > 0)
            {
                _line.Append('>', QuoteDepth).Append(' ');
            }

            _line.Append(c);
        }

        public void Append(string s)
        {
            foreach (var c in s)
            {
                Append(c);
            }
        }

        public void Space() => _pendingSpace = true;

        /// <summary>Ends the line if it has text (block boundaries never make blank lines).</summary>
        public void EndLine()
        {
            if (_line.Length > 0)
            {
                LineBreak();
            }

            _pendingSpace = false;
        }

        /// <summary>A &lt;br&gt;: ends the line, making a blank line if it is empty (at most one in a row).</summary>
        public void LineBreak()
        {
            var line = _line.ToString().TrimEnd();
            _line.Clear();
            _pendingSpace = false;
            if (line.Length == 0 || line.Trim('>', ' ').Length == 0)
            {
                if (_text.Length == 0 || ++_blankLines > 1)
                {
                    return;
                }

                _text.Append('\n');
                return;
            }

            _blankLines = 0;
            _text.Append(line).Append('\n');
        }

        public override string ToString()
        {
            EndLine();
            return _text.ToString().TrimEnd();
        }
    }
}
