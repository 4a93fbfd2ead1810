using System.Text;
using Converge.Xmpp.Client;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Client;

/// <summary>
/// The client negotiation table: each state's row, and over a real stream, that an element out of its
/// state ends the stream (a client cannot skip TLS, authentication or binding, nor authenticate twice).
/// </summary>
public sealed class ClientNegotiationTableTests
{
    [Theory]
    [InlineData("AwaitingHeader", "")]
    [InlineData("Insecure", "StartTls,Sasl")]
    [InlineData("Secured", "StartTls,Sasl")]
    [InlineData("Authenticated", "StartTls,ClientIq,StreamManagement")]
    [InlineData("Bound", "")]
    public void Each_state_allows_exactly_its_row(string stateName, string row)
    {
        var state = Enum.Parse<ClientStreamState>(stateName);
        var expected = row.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<NegotiationElement>).ToHashSet();
        foreach (var element in Enum.GetValues<NegotiationElement>())
        {
            Assert.Equal(expected.Contains(element), ClientNegotiationTable.Allows(state, element));
        }
    }

    [Theory]
    [InlineData(false, false, "Insecure")]
    [InlineData(true, false, "Secured")]
    [InlineData(true, true, "Authenticated")]
    public void A_stream_header_opens_the_state_the_previous_streams_negotiated(bool secure, bool authenticated, string expected) =>
        Assert.Equal(Enum.Parse<ClientStreamState>(expected), ClientNegotiationTable.AfterHeader(secure, authenticated));

    [Fact]
    public async Task Bind_before_authentication_ends_the_stream_not_authorized()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        await client.ExpectAsync(e => e.Name == "features");
        await client.SendAsync("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>");
        Assert.Equal("not-authorized", await client.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Resume_before_authentication_ends_the_stream_not_authorized()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        await client.ExpectAsync(e => e.Name == "features");
        await client.SendAsync("<resume xmlns='urn:xmpp:sm:3' previd='x' h='0'/>");
        Assert.Equal("not-authorized", await client.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task A_second_authentication_on_an_authenticated_stream_ends_it_not_authorized()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        await client.AuthenticatePlainAsync("alice", "secret-alice");
        await client.ExpectAsync(e => e.Name == "features");
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0secret-alice"));
        await client.SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>");
        Assert.Equal("not-authorized", await client.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Starttls_on_a_secured_stream_is_refused_and_closed()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        await client.ExpectAsync(e => e.Name == "features");
        await client.SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        var failure = await client.ExpectAsync(e => e.Name == "failure");
        Assert.Equal("urn:ietf:params:xml:ns:xmpp-tls", failure.Namespace);
    }
}
