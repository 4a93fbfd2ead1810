namespace Converge.Core.Addressing;

/// <summary>A domain as the server-wide blocklist keeps it: a bare domain, case-folded, without a trailing dot.</summary>
public static class BlockableDomain
{
    /// <summary>The domain an operator typed, normalised; null when it is not a bare domain (a JID with a local part or resource, empty, too long).</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var domain = text.Trim().TrimEnd('.');
        return domain.Length is > 0 and <= 253 && Jid.TryParse(domain, out var jid) && jid.Local is null && jid.Resource is null
            ? jid.Domain
            : null;
    }
}
