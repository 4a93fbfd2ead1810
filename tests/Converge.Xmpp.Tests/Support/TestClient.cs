using System.Net;
using System.Net.Sockets;
using System.Text;
using Converge.Xmpp.Tests.Server;

namespace Converge.Xmpp.Tests.Support;

/// <summary>
/// A deliberately raw XMPP client for tests that need control over every byte: it writes what it
/// is told and exposes every element the server sends, in order, plus the stream's end. Any
/// domain: the single-domain <see cref="TestServer"/> and each provider of a federation test.
/// </summary>
internal sealed class TestClient : RawXmppConnection
{
    private readonly string _domain;

    private TestClient(Socket socket, string domain)
        : base(socket, showsStreamHeaders: false)
    {
        _domain = domain;
    }

    public string Jid { get; private set; } = "";

    public string Bare => Jid.Split('/')[0];

    public static async Task<TestClient> ConnectAsync(IPEndPoint endpoint, bool directTls = false, string to = TestServer.Domain)
    {
        var client = new TestClient(await ConnectSocketAsync(endpoint), to);
        if (directTls)
        {
            await client.UpgradeToTlsAsync(to);
        }

        await client.OpenStreamAsync(to);
        return client;
    }

    /// <summary>
    /// Connects (direct TLS, or STARTTLS on a plain port), authenticates with PLAIN, binds
    /// <paramref name="resource"/> (or one the server picks) and, if <paramref name="available"/>,
    /// sends initial presence and waits for its echo.
    /// </summary>
    public static async Task<TestClient> LoginAsync(
        IPEndPoint endpoint, bool directTls, string domain, string user, string password, string? resource, bool available)
    {
        var client = await ConnectAsync(endpoint, directTls, domain);
        if (!directTls)
        {
            await client.StartTlsAsync();
        }

        await client.AuthenticatePlainAsync(user, password);
        await client.BindAsync(resource);
        if (available)
        {
            await client.SendAsync("<presence/>");
            await client.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == client.Jid);
        }

        return client;
    }

    public Task OpenStreamAsync(string? to = null) =>
        RestartStreamAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='{to ?? _domain}' version='1.0'>");

    public async Task StartTlsAsync()
    {
        await ExpectAsync(e => e.Name == "features");
        await SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await ExpectAsync(e => e.Name == "proceed");
        await UpgradeToTlsAsync(_domain);
        await OpenStreamAsync();
    }

    public async Task AuthenticatePlainAsync(string user, string password)
    {
        await ExpectAsync(e => e.Name == "features");
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));
        await SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>");
        var answer = await ExpectAsync(e => e.Name is "success" or "failure");
        if (answer.Name != "success")
        {
            throw new InvalidOperationException("authentication failed: " + answer);
        }

        await OpenStreamAsync();
    }

    public async Task BindAsync(string? resource)
    {
        await ExpectAsync(e => e.Name == "features");
        var res = resource is null ? "" : $"<resource>{resource}</resource>";
        await SendAsync($"<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>{res}</bind></iq>");
        var result = await ExpectAsync(e => e.Name == "iq" && e.GetAttribute("id") == "bind1");
        Jid = result.FirstElement()!.FirstElement()!.Text;
    }
}
