using System.Net;

namespace Converge.Configuration;

/// <summary>The validated <c>Email</c> section; absent, there is no email interworking.</summary>
/// <param name="Inbound">Where the SMTP listener for mail to our users listens; null: none.</param>
/// <param name="Relay">The smart host ("host:port"); null: straight to the recipient domain's MX.</param>
/// <param name="Domain">The domain of CPM users' email identities (default: the XMPP domain).</param>
internal sealed record EmailSettings(IPEndPoint? Inbound, string? Relay, string Domain, long MaxMessageBytes, bool ValidateRelayCertificate);
