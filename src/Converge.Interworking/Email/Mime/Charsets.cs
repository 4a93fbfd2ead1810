using System.Text;
using System.Text.Unicode;

namespace Converge.Interworking.Email;

/// <summary>
/// Which encoding a text part's bytes are read in. MimeKit decodes the transfer encoding; the
/// charset label is trusted as mail readers trust it: ASCII and Latin-1 labels mean windows-1252
/// (WHATWG), and valid UTF-8 under such a label is UTF-8. The code pages (windows-1252,
/// iso-8859-15, koi8-r ...) come from the in-box CodePagesEncodingProvider, registered once here.
/// </summary>
internal static class Charsets
{
    private static readonly Encoding Windows1252;

    static Charsets()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    /// <summary>The encoding for a MIME charset name, or null when it is not known here.</summary>
    public static Encoding? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim().Trim('"');
        switch (trimmed.ToLowerInvariant())
        {
            // Mail labelled ASCII or Latin-1 routinely carries windows-1252 punctuation; readers
            // (and the WHATWG encoding standard) treat these labels as windows-1252.
            case "us-ascii" or "ascii" or "iso-8859-1" or "iso8859-1" or "latin1" or "l1" or "cp819" or "iso_8859-1":
                return Windows1252;
            case "utf8":
                return Encoding.UTF8;
            case "ks_c_5601-1987":
                trimmed = "euc-kr";
                break;
        }

        try
        {
            return Encoding.GetEncoding(trimmed);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Decodes text in <paramref name="charset"/>. An unknown charset is read as UTF-8 if the bytes are
    /// valid UTF-8, otherwise as windows-1252.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? charset)
    {
        var encoding = Find(charset);
        if (encoding is null)
        {
            return DecodeUnlabelled(bytes);
        }

        // A Latin-1 or ASCII label on bytes that are valid UTF-8 (and not plain ASCII) is a mislabel:
        // Latin-1 text almost never forms valid multi-byte UTF-8 sequences by chance.
        if (encoding == Windows1252 && !Ascii.IsValid(bytes) && Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return encoding.GetString(bytes);
    }

    /// <summary>Bytes with no usable label: UTF-8 when valid, otherwise windows-1252.</summary>
    public static string DecodeUnlabelled(ReadOnlySpan<byte> bytes) =>
        Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Windows1252.GetString(bytes);
}
