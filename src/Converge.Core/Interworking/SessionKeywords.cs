namespace Converge.Core.Interworking;

/// <summary>
/// Reads YES / NO / CHAT / END in a legacy user's text, tolerating case, punctuation and the common
/// variants people type on a phone ("Yes!", "y", "ok", "no thanks"), so that a reply to an adapted
/// session invitation is understood without exact typing.
/// </summary>
public sealed class SessionKeywords(string inviteKeyword = "CHAT", string endKeyword = "END")
{
    private static readonly HashSet<string> Yes = new(StringComparer.OrdinalIgnoreCase) { "yes", "y", "ok", "okay", "sure", "accept", "ja", "oui", "si", "sí" };
    private static readonly HashSet<string> No = new(StringComparer.OrdinalIgnoreCase) { "no", "n", "decline", "nein", "non", "no thanks", "no thank you" };

    public SessionReply Read(string? text)
    {
        var words = Normalize(text);
        if (words.Length == 0 || words.Length > 20)
        {
            return SessionReply.None;
        }

        if (Yes.Contains(words))
        {
            return SessionReply.Accept;
        }

        if (No.Contains(words))
        {
            return SessionReply.Decline;
        }

        if (words.Equals(inviteKeyword, StringComparison.OrdinalIgnoreCase))
        {
            return SessionReply.Invite;
        }

        return words.Equals(endKeyword, StringComparison.OrdinalIgnoreCase) ? SessionReply.End : SessionReply.None;
    }

    private static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var trimmed = text.Trim().TrimEnd('!', '.', '?', ',', ';', ' ').TrimStart('"', '\'').TrimEnd('"', '\'');
        return string.Join(' ', trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
