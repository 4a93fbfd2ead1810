using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// Writes RFC 2047 "B" encoded words in UTF-8, each at most 75 characters (§2) and each holding
/// whole characters (§5: a multi-byte character is never split across two words).
/// </summary>
internal static class EncodedWordEncoder
{
    private const string Prefix = "=?utf-8?B?";
    private const string Suffix = "?=";
    private const int MaxBytesPerWord = 45; // 60 base64 characters: 10 + 60 + 2 = 72 <= 75

    public static bool NeedsEncoding(string text) =>
        !Ascii.IsValid(text) || text.AsSpan().ContainsAny("\r\n") || HasOverlongWord(text) || text.Contains("=?", StringComparison.Ordinal);

    /// <summary>The encoded words for <paramref name="text"/>; readers join them back without the folding whitespace.</summary>
    public static List<string> Encode(string text)
    {
        var words = new List<string>();
        var chunk = new StringBuilder();
        var chunkBytes = 0;
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = (string)enumerator.Current;
            var bytes = Encoding.UTF8.GetByteCount(element);
            if (chunkBytes + bytes > MaxBytesPerWord && chunk.Length > 0)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
            }

            chunk.Append(element);
            chunkBytes += bytes;
        }

        if (chunk.Length > 0 || words.Count == 0)
        {
            words.Add(Word(chunk.ToString()));
        }

        return words;
    }

    private static string Word(string text) => Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + Suffix;

    private static bool HasOverlongWord(string text) =>
        text.Split(' ').Any(w => w.Length > 76);
}
