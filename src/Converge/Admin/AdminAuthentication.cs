using System.Net;
using System.Text;
using Converge.Configuration;
using Converge.Core.Addressing;
using Converge.Hosting;
using Converge.Xmpp.Sasl;
using Microsoft.AspNetCore.Http;

namespace Converge.Admin;

/// <summary>
/// Who is calling the admin API: an operator token (<c>Authorization: Bearer</c>, admin or read scope)
/// or an account of <c>Admin.Accounts</c> with its XMPP password (HTTP Basic, admin scope), the latter
/// only over TLS or from loopback, where the password cannot be read off the wire.
/// </summary>
internal sealed class AdminAuthentication(OperatorTokenStore tokens, ConvergeSettings settings, XmppService xmpp)
{
    // Checked when the account is not listed or does not exist, so that the answer takes as long as for one that does.
    private static readonly Lazy<Core.Accounts.ScramCredential> Decoy =
        new(() => ScramCredentials.Derive("SHA-256", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public Operator? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = tokens.Find(header["Bearer ".Length..].Trim());
            return token is null ? null : new Operator("token:" + token.Name, token.Scope);
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && MayUseBasic(context))
        {
            return Account(header["Basic ".Length..].Trim());
        }

        return null;
    }

    private static bool MayUseBasic(HttpContext context) =>
        context.Request.IsHttps || (context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address));

    private Operator? Account(string encoded)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Jid.TryParse(decoded[..colon], out var jid) || jid.Resource is not null)
        {
            return null;
        }

        var password = decoded[(colon + 1)..];
        var listed = settings.Admin.Accounts.Contains(jid.ToString(), StringComparer.Ordinal);
        var credential = listed ? xmpp.Server.FindAccount(jid)?.Credentials.FirstOrDefault(c => c.Hash == "SHA-256") : null;

        // The same PBKDF2 run whether or not the account is listed or exists: timing tells nothing.
        var verified = ScramCredentials.VerifyPassword(credential ?? Decoy.Value, password);
        return verified && credential is not null ? new Operator("account:" + jid, OperatorScope.Admin) : null;
    }
}
