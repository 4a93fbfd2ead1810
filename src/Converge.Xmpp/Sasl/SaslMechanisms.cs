using Converge.Core.Accounts;

namespace Converge.Xmpp.Sasl;

/// <summary>The mechanisms this server speaks: which to offer on a connection, and the server for a chosen one.</summary>
public static class SaslMechanisms
{
    public const string ScramSha256Plus = "SCRAM-SHA-256-PLUS";
    public const string ScramSha1Plus = "SCRAM-SHA-1-PLUS";
    public const string ScramSha256 = "SCRAM-SHA-256";
    public const string ScramSha1 = "SCRAM-SHA-1";
    public const string Plain = "PLAIN";

    /// <summary>
    /// The mechanisms to offer, strongest first: the -PLUS variants when the connection has a channel
    /// binding, SCRAM always, PLAIN only over TLS (it sends the password itself).
    /// </summary>
    public static IReadOnlyList<string> Offered(bool tls, ChannelBinding? binding)
    {
        var offered = new List<string>(5);
        if (binding is not null)
        {
            offered.Add(ScramSha256Plus);
            offered.Add(ScramSha1Plus);
        }

        offered.Add(ScramSha256);
        offered.Add(ScramSha1);
        if (tls)
        {
            offered.Add(Plain);
        }

        return offered;
    }

    /// <summary>
    /// The server for <paramref name="mechanism"/>, or null when it is unknown or not in
    /// <see cref="Offered"/> for this connection (the client then gets invalid-mechanism).
    /// </summary>
    /// <param name="lookup">The credential of (username, hash), or null when there is none.</param>
    public static ISaslServer? Create(string mechanism, bool tls, ChannelBinding? binding, Func<string, string, ScramCredential?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (!Offered(tls, binding).Contains(mechanism, StringComparer.Ordinal))
        {
            return null;
        }

        return mechanism switch
        {
            ScramSha256Plus => new ScramServer("SHA-256", plus: true, lookup, binding),
            ScramSha1Plus => new ScramServer("SHA-1", plus: true, lookup, binding),
            ScramSha256 => new ScramServer("SHA-256", plus: false, lookup, binding),
            ScramSha1 => new ScramServer("SHA-1", plus: false, lookup, binding),
            Plain => new PlainServer(lookup),
            _ => null,
        };
    }
}
