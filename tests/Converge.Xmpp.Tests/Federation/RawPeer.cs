using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// A hand-driven peer server for bad-input tests: it writes exactly what the test says on a
/// server-to-server connection and shows everything that comes back (the stream header as an
/// element named "stream"), so a test can misbehave at any step.
/// </summary>
internal sealed class RawPeer : RawXmppConnection
{
    private RawPeer(Socket socket)
        : base(socket, showsStreamHeaders: true)
    {
    }

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endpoint) => new(await ConnectSocketAsync(endpoint));

    /// <summary>Sends a jabber:server stream header and returns the peer's header (with its id) and features.</summary>
    public async Task<(XmlElement Header, XmlElement Features)> OpenAsync(string from, string to)
    {
        await RestartStreamAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback' xmlns:stream='http://etherx.jabber.org/streams' from='{from}' to='{to}' version='1.0'>");
        var header = await ExpectAsync(e => e.Name == "stream");
        var features = await ExpectAsync(e => e.Name == "features" || (e.Name == "error" && e.Namespace == "http://etherx.jabber.org/streams"));
        return (header, features);
    }

    /// <summary>STARTTLS, presenting <paramref name="certificate"/> when given, then a new stream.</summary>
    public async Task<(XmlElement Header, XmlElement Features)> StartTlsAsync(string from, string to, X509Certificate2? certificate = null)
    {
        await SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await ExpectAsync(e => e.Name == "proceed");
        await UpgradeToTlsAsync(to, certificate);
        return await OpenAsync(from, to);
    }
}
