using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Converge.Xmpp.ExternalServices;

/// <summary>
/// Time-limited TURN credentials as coturn checks them with <c>use-auth-secret</c> (the "TURN REST
/// API" draft): the username is the expiry time in Unix seconds, a colon and the user; the password
/// is the Base64 HMAC-SHA1 of the username under the shared secret. The TURN server needs no call back.
/// </summary>
internal static class TurnCredentials
{
    public static (string Username, string Password, DateTimeOffset Expires) Make(string secret, string user, DateTimeOffset now, TimeSpan lifetime)
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds(now.Add(lifetime).ToUnixTimeSeconds());
        var username = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ":" + user;
        var password = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username)));
        return (username, password, expires);
    }
}
