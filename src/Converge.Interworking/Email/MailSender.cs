using System.Diagnostics.CodeAnalysis;
using Converge.Core.Addressing;

namespace Converge.Interworking.Email;

/// <summary>
/// Who an inbound mail is from, as far as the gateway will say it (DESIGN.md, "Trust boundaries"):
/// the one mailbox of its RFC 5322 From: field, the author the correspondent's own mail program
/// shows and the address replies go to. The SMTP MAIL FROM is not used: it is only where bounces
/// go, and forwarders and mailing lists rewrite it (SRS, VERP). Neither is proof of anything, so the
/// address only ever becomes the escaped legacy JID local\40domain@our-domain, never an account.
/// A From: that is missing, lists several mailboxes, or is no routable address (one '@', a domain
/// with a dot) refuses the whole mail.
/// </summary>
internal static class MailSender
{
    /// <summary>The sender's address, lower case, or false with the reason the mail is refused.</summary>
    public static bool TryGetAddress(MailMessage mail, [NotNullWhen(true)] out string? address, [NotNullWhen(false)] out string? reason)
    {
        address = null;
        switch (mail.From.Count)
        {
            case 0:
                reason = "the mail has no From: address";
                return false;
            case > 1:
                reason = "From: names more than one mailbox";
                return false;
        }

        var candidate = mail.From[0].Address.Trim().ToLowerInvariant();
        if (!EscapedEmail.IsRoutableAddress(candidate))
        {
            reason = "From: is not a mail address local@domain with a dotted domain";
            return false;
        }

        address = candidate;
        reason = null;
        return true;
    }

    /// <summary>The answer to the final dot of a refused mail (RFC 3463 X.1.7: bad sender's mailbox address syntax).</summary>
    public static SmtpReply Refusal(string reason) => new(550, $"5.1.7 Sender address rejected: {reason}; nothing was delivered");
}
