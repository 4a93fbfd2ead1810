using System.Text;
using MimeKit.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// HTML to plain text for mail that has no plain text part, on MimeKit's HTML tokenizer: tags
/// dropped, block elements as line breaks, character references decoded (by the tokenizer),
/// script/style/head content removed, and blockquote content prefixed with "> " so quoted history (Gmail's gmail_quote, Apple Mail's
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
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader) { DecodeCharacterReferences = true };
        string? skipping = null;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when skipping is not null:
                    skipping = tag.IsEndTag && tag.Name.Equals(skipping, StringComparison.OrdinalIgnoreCase) ? null : skipping;
                    break;
                case HtmlTagToken tag when !tag.IsEndTag && !tag.IsEmptyElement && SkippedElements.Contains(tag.Name.ToLowerInvariant()):
                    skipping = tag.Name;
                    break;
                case HtmlTagToken tag:
                    Tag(tag.Name.ToLowerInvariant(), tag.IsEndTag, output);
                    break;
                case HtmlDataToken data when skipping is null:
                    Text(data.Data, output);
                    break;
            }
        }

        return output.ToString();
    }

    private static void Tag(string name, bool closing, Output output)
    {
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
    }

    private static void Text(string text, Output output)
    {
        foreach (var c in text)
        {
            if (c == '\u00A0')
            {
                output.Append(' '); // &nbsp; is a visible space that collapses nothing
            }
            else if (char.IsWhiteSpace(c))
            {
                output.Space();
            }
            else
            {
                output.Append(c);
            }
        }
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
