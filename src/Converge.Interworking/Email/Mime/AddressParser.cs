using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// RFC 5322 §3.4 address lists: <c>Name &lt;addr&gt;</c>, bare addr-specs, <c>addr (Name)</c>, quoted
/// display names and groups (<c>team: a@x, b@y;</c>, members listed, the group name dropped).
/// Display names are RFC 2047 decoded. An entry without an address is dropped and flagged.
/// </summary>
internal static class AddressParser
{
    public static List<MailboxAddress> ParseList(string text, MimeDefectLog log)
    {
        var result = new List<MailboxAddress>();
        var tokens = Tokenize(text, log);
        var index = 0;
        while (index < tokens.Count)
        {
            var phrase = new List<Token>();
            string? trailingComment = null;
            while (index < tokens.Count && tokens[index].Kind is TokenKind.Word or TokenKind.Dot or TokenKind.Comment)
            {
                if (tokens[index].Kind == TokenKind.Comment)
                {
                    trailingComment = tokens[index].Text;
                }
                else
                {
                    phrase.Add(tokens[index]);
                }

                index++;
            }

            var next = index < tokens.Count ? tokens[index] : new Token(TokenKind.Comma, ",", false);
            switch (next.Kind)
            {
                case TokenKind.AngleAddress:
                    index++;
                    var displayName = phrase.Count > 0 ? Phrase(phrase, log) : trailingComment is null ? null : EncodedWords.Decode(trailingComment, log);
                    AddAddress(result, displayName, next.Text, log);
                    SkipToComma(tokens, ref index, log);
                    break;
                case TokenKind.At:
                    index++;
                    var local = string.Concat(phrase.Select(t => t.Quoted ? Quote(t.Text) : t.Text));
                    var domain = new StringBuilder();
                    while (index < tokens.Count && tokens[index].Kind is TokenKind.Word or TokenKind.Dot or TokenKind.DomainLiteral or TokenKind.Comment)
                    {
                        if (tokens[index].Kind == TokenKind.Comment)
                        {
                            trailingComment = tokens[index].Text;
                        }
                        else
                        {
                            domain.Append(tokens[index].Text);
                        }

                        index++;
                    }

                    var name = trailingComment is null ? null : EncodedWords.Decode(trailingComment, log);
                    AddAddress(result, name, $"{local}@{domain}", log);
                    SkipToComma(tokens, ref index, log);
                    break;
                case TokenKind.Colon:
                    index++; // a group: its name is dropped, its members are read as the list goes on
                    break;
                case TokenKind.Semicolon:
                case TokenKind.Comma:
                    index++;
                    if (phrase.Count > 0)
                    {
                        log.Flag(MimeDefects.InvalidStructuredHeader, $"An address list entry without an address in '{text}'");
                    }

                    break;
                default:
                    index++;
                    log.Flag(MimeDefects.InvalidStructuredHeader, $"Unexpected '{next.Text}' in address list '{text}'");
                    break;
            }
        }

        return result;
    }

    private static void AddAddress(List<MailboxAddress> result, string? displayName, string address, MimeDefectLog log)
    {
        address = StripRoute(address.Trim());
        if (address.Length == 0)
        {
            return; // <> is a valid null path in some headers (Return-Path)
        }

        if (!address.Contains('@', StringComparison.Ordinal))
        {
            log.Flag(MimeDefects.InvalidStructuredHeader, $"Address without a domain '{address}'");
        }

        result.Add(new MailboxAddress(string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(), address));
    }

    // obs-route: <@relay1,@relay2:user@domain>
    private static string StripRoute(string address)
    {
        if (!address.StartsWith('@'))
        {
            return address;
        }

        var colon = address.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? address : address[(colon + 1)..];
    }

    private static void SkipToComma(List<Token> tokens, ref int index, MimeDefectLog log)
    {
        var skipped = false;
        while (index < tokens.Count && tokens[index].Kind is not (TokenKind.Comma or TokenKind.Semicolon))
        {
            if (tokens[index].Kind != TokenKind.Comment)
            {
                skipped = true;
            }

            index++;
        }

        if (skipped)
        {
            log.Flag(MimeDefects.InvalidStructuredHeader, "Text after an address");
        }

        if (index < tokens.Count)
        {
            index++;
        }
    }

    private static string Phrase(List<Token> words, MimeDefectLog log)
    {
        var joined = new StringBuilder();
        foreach (var word in words)
        {
            if (joined.Length > 0 && word.Kind == TokenKind.Word && word.SpaceBefore)
            {
                joined.Append(' ');
            }

            joined.Append(word.Text);
        }

        return EncodedWords.Decode(joined.ToString(), log);
    }

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static List<Token> Tokenize(string text, MimeDefectLog log)
    {
        var tokens = new List<Token>();
        var position = 0;
        var spaceBefore = false;
        while (position < text.Length)
        {
            var c = text[position];
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    position++;
                    spaceBefore = true;
                    continue;
                case '(':
                    var commentStart = position;
                    MimeParameters.SkipComment(text, ref position);
                    var inner = text[(commentStart + 1)..Math.Max(commentStart + 1, position - 1)];
                    tokens.Add(new Token(TokenKind.Comment, Unescape(inner), spaceBefore));
                    break;
                case '"':
                    tokens.Add(new Token(TokenKind.Word, ReadQuoted(text, ref position, log), spaceBefore, Quoted: true));
                    break;
                case '<':
                    var close = text.IndexOf('>', position + 1);
                    if (close < 0)
                    {
                        log.Flag(MimeDefects.InvalidStructuredHeader, $"Unterminated angle address in '{text}'");
                        close = text.Length;
                    }

                    tokens.Add(new Token(TokenKind.AngleAddress, RemoveWhitespace(text[(position + 1)..close]), spaceBefore));
                    position = Math.Min(close + 1, text.Length);
                    break;
                case '[':
                    var end = text.IndexOf(']', position + 1);
                    end = end < 0 ? text.Length : end + 1;
                    tokens.Add(new Token(TokenKind.DomainLiteral, text[position..end], spaceBefore));
                    position = end;
                    break;
                case ',' or ';' or ':' or '@' or '.' or '>':
                    tokens.Add(new Token(
                        c switch { ',' => TokenKind.Comma, ';' => TokenKind.Semicolon, ':' => TokenKind.Colon, '@' => TokenKind.At, '.' => TokenKind.Dot, _ => TokenKind.Other },
                        c.ToString(),
                        spaceBefore));
                    position++;
                    break;
                default:
                    var start = position;
                    while (position < text.Length && !IsSpecialOrSpace(text[position]))
                    {
                        position++;
                    }

                    tokens.Add(new Token(TokenKind.Word, text[start..position], spaceBefore));
                    break;
            }

            spaceBefore = false;
        }

        return tokens;
    }

    private static bool IsSpecialOrSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '(' or ')' or '<' or '>' or '[' or ']' or ':' or ';' or '@' or '\\' or ',' or '.' or '"';

    private static string ReadQuoted(string text, ref int position, MimeDefectLog log)
    {
        var result = new StringBuilder();
        position++;
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
            {
                return result.ToString();
            }

            if (c == '\\' && position < text.Length)
            {
                c = text[position++];
            }

            if (c is not ('\r' or '\n'))
            {
                result.Append(c);
            }
        }

        log.Flag(MimeDefects.InvalidStructuredHeader, $"Unterminated quoted string in '{text}'");
        return result.ToString();
    }

    private static string Unescape(string text) => text.Contains('\\', StringComparison.Ordinal)
        ? System.Text.RegularExpressions.Regex.Replace(text, @"\\(.)", "$1", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1))
        : text;

    private static string RemoveWhitespace(string text) =>
        text.AsSpan().ContainsAny(" \t\r\n") ? string.Concat(text.Where(c => !char.IsWhiteSpace(c))) : text;

    private enum TokenKind
    {
        Word,
        Dot,
        Comment,
        AngleAddress,
        DomainLiteral,
        Comma,
        Semicolon,
        Colon,
        At,
        Other,
    }

    private readonly record struct Token(TokenKind Kind, string Text, bool SpaceBefore, bool Quoted = false);
}
