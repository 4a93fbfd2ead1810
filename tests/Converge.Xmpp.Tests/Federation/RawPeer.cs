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

    /// <summary>
    /// A raw a.test with a certificate from the test CA, authenticated at <paramref name="server"/>
    /// (which must trust that CA and have an agreement with a.test) with SASL EXTERNAL, stream restarted.
    /// </summary>
    public static async Task<RawPeer> AuthenticatedAsync(FederatedServer server)
    {
        var peer = await ConnectAsync(server.Federation.Endpoint!);
        await peer.OpenAsync("a.test", server.Domain);
        var (_, features) = await peer.StartTlsAsync("a.test", server.Domain, TestCertificates.Issued("a.test"));
        Assert.Contains(features.Element("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl")!.Elements(), m => m.Text == "EXTERNAL");
        await peer.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>YS50ZXN0</auth>"); // authzid "a.test"
        await peer.ExpectAsync(e => e.Name == "success");
        await peer.OpenAsync("a.test", server.Domain);
        return peer;
    }

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
