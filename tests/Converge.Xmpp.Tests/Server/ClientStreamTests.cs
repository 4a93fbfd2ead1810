using System.Text;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Server;

/// <summary>RFC 6120 stream negotiation and the errors a bad client gets, over real TCP and TLS.</summary>
public sealed class ClientStreamTests
{
    [Fact]
    public async Task Features_before_tls_offer_only_required_starttls()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        var features = await client.ExpectAsync(e => e.Name == "features");
        var starttls = Assert.Single(features.Elements());
        Assert.Equal("starttls", starttls.Name);
        Assert.NotNull(starttls.Element("required", "urn:ietf:params:xml:ns:xmpp-tls"));
    }

    [Fact]
    public async Task Auth_before_starttls_is_refused_with_encryption_required()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.ExpectAsync(e => e.Name == "features");
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0secret-alice"));
        await client.SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>");
        var failure = await client.ExpectAsync(e => e.Name == "failure");
        Assert.Equal("encryption-required", failure.FirstElement()!.Name);
    }

    [Fact]
    public async Task Mechanisms_after_tls_list_scram_first_then_plain()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        var features = await client.ExpectAsync(e => e.Name == "features");
        var mechanisms = features.Element("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl")!.Elements().Select(e => e.Text).ToList();
        Assert.Equal(["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"], mechanisms);
        Assert.Null(features.Element("sasl-channel-binding", "urn:xmpp:sasl-cb:0"));
    }

    [Fact]
    public async Task With_channel_binding_on_plus_mechanisms_come_first_and_the_type_is_advertised()
    {
        await using var server = await TestServer.StartAsync(channelBinding: true);
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        var features = await client.ExpectAsync(e => e.Name == "features");
        var mechanisms = features.Element("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl")!.Elements().Select(e => e.Text).ToList();
        Assert.Equal(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"], mechanisms);
        var type = features.Element("sasl-channel-binding", "urn:xmpp:sasl-cb:0")!.FirstElement()!.GetAttribute("type");
        Assert.Equal("tls-server-end-point", type);
    }

    [Fact]
    public async Task Wrong_password_gets_not_authorized_and_the_stream_stays_open()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        await client.ExpectAsync(e => e.Name == "features");
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0wrong"));
        await client.SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>");
        var failure = await client.ExpectAsync(e => e.Name == "failure");
        Assert.Equal("not-authorized", failure.FirstElement()!.Name);

        // A second try with the right password on the same stream succeeds (RFC 6120 §6.4.5 retries).
        token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0secret-alice"));
        await client.SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>");
        await client.ExpectAsync(e => e.Name == "success");
    }

    [Fact]
    public async Task Direct_tls_port_offers_sasl_at_once()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.DirectTlsEndpoint, directTls: true);
        var features = await client.ExpectAsync(e => e.Name == "features");
        Assert.NotNull(features.Element("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl"));
    }

    [Fact]
    public async Task Unknown_host_gets_host_unknown()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint, to: "elsewhere.test");
        Assert.Equal("host-unknown", await client.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Bind_without_resource_gets_a_server_generated_one()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", resource: null, available: false);
        Assert.StartsWith("alice@example.test/", alice.Jid, StringComparison.Ordinal);
        Assert.True(alice.Jid.Length > "alice@example.test/".Length);
    }

    [Fact]
    public async Task Spoofed_from_is_a_stream_error_invalid_from()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<message from='bob@example.test/x' to='carol@example.test'><body>hi</body></message>");
        Assert.Equal("invalid-from", await alice.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task From_is_stamped_with_the_full_jid()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await alice.SendAsync("<message to='bob@example.test' type='chat'><body>hi</body></message>");
        var message = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("alice@example.test/pc", message.GetAttribute("from"));
    }

    [Theory]
    [InlineData("<!DOCTYPE x>", "restricted-xml")]
    [InlineData("<!-- comment -->", "restricted-xml")]
    [InlineData("<message><body>&custom;</body></message>", "restricted-xml")]
    [InlineData("<message><body></message>", "not-well-formed")]
    public async Task Bad_xml_ends_only_that_stream(string bad, string condition)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await bob.SendAsync(bad);
        Assert.Equal(condition, await bob.ExpectStreamEndAsync());

        // The server and other sessions carry on.
        await using var carol = await server.LoginAsync("carol", "tab");
        await carol.SendAsync("<message to='alice@example.test' type='chat'><body>still here?</body></message>");
        var m = await alice.ExpectAsync(e => e.Name == "message");
        Assert.Equal("still here?", m.ChildText("body", "jabber:client"));
    }

    [Fact]
    public async Task Oversized_stanza_is_a_policy_violation()
    {
        await using var server = await TestServer.StartAsync(xml: x => x.MaxStanzaBytes = 4096);
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<message to='bob@example.test'><body>" + new string('x', 10_000) + "</body></message>");
        Assert.Equal("policy-violation", await alice.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Stanza_before_authentication_is_not_authorized()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        await client.SendAsync("<message to='bob@example.test'><body>hi</body></message>");
        Assert.Equal("not-authorized", await client.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Same_resource_twice_replaces_the_old_session_with_conflict()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = await server.LoginAsync("alice", "pc");
        await using var second = await server.LoginAsync("alice", "pc");
        Assert.Equal("conflict", await first.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Closing_the_stream_is_answered_with_a_closing_tag()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("</stream:stream>");
        Assert.Null(await alice.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Iq_without_id_gets_bad_request()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>");
        var error = await alice.ExpectAsync(e => e.Name == "iq" && e.GetAttribute("type") == "error");
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("bad-request", "urn:ietf:params:xml:ns:xmpp-stanzas"));
    }

    [Fact]
    public async Task Unknown_iq_payload_gets_service_unavailable()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<iq type='get' id='u1' to='example.test'><nothing xmlns='urn:example:none'/></iq>");
        var error = await alice.ExpectAsync(e => e.Name == "iq" && e.GetAttribute("id") == "u1");
        Assert.Equal("error", error.GetAttribute("type"));
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("service-unavailable", "urn:ietf:params:xml:ns:xmpp-stanzas"));
    }
}
