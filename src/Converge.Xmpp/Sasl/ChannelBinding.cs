namespace Converge.Xmpp.Sasl;

/// <summary>
/// Channel binding data of the TLS connection the exchange runs over (RFC 5056).
/// </summary>
/// <param name="Type">"tls-server-end-point" (RFC 5929), "tls-exporter" (RFC 9266) or "tls-unique" (RFC 5929).</param>
/// <param name="Data">The binding bytes for that type.</param>
public sealed record ChannelBinding(string Type, byte[] Data)
{
    public const string TlsServerEndPoint = "tls-server-end-point";
    public const string TlsExporter = "tls-exporter";
    public const string TlsUnique = "tls-unique";
}
