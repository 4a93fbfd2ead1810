using System.Net;

namespace Converge.Configuration;

/// <summary>The validated <c>Email</c> section; absent, there is no email interworking.</summary>
/// <param name="Inbound">Where the SMTP listener for mail to our users listens; null: none.</param>
/// <param name="Relay">The smart host ("host:port"); null: straight to the recipient domain's MX.</param>
/// <param name="Domain">The domain of CPM users' email identities (default: the XMPP domain).</param>
/// <param name="ReplyWindow">How recent the latest thread with a correspondent must be for a mail that names none to join it.</param>
/// <param name="SessionInviteTimeout">An adapted session invitation not answered within this time is a decline.</param>
/// <param name="Templates">The texts an adapted session action becomes in a mail.</param>
internal sealed record EmailSettings(
    IPEndPoint? Inbound,
    string? Relay,
    string Domain,
    long MaxMessageBytes,
    bool ValidateRelayCertificate,
    TimeSpan ReplyWindow,
    TimeSpan SessionInviteTimeout,
    InterworkingTemplates Templates);
