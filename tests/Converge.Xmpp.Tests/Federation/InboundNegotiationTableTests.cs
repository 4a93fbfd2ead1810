using System.Net;
using System.Net.Sockets;
using Converge.Xmpp.Federation.Negotiation;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// The inbound server-to-server negotiation table: each state's row, and over a real link, that what a
/// peer sends out of its state ends the stream before anything reaches the router.
/// </summary>
public sealed class InboundNegotiationTableTests
{
    [Theory]
    [InlineData("AwaitingHeader", "StreamError:PeerGaveUp")]
    [InlineData("Insecure", "StartTls:StartTls,Sasl:Sasl,DialbackResult:RequestDialback,DialbackVerify:AnswerVerification,StreamError:PeerGaveUp")]
    [InlineData("Secured", "StartTls:StartTls,Sasl:Sasl,DialbackResult:RequestDialback,DialbackVerify:AnswerVerification,StreamError:PeerGaveUp")]
    [InlineData("Authenticated", "StartTls:StartTls,Sasl:Sasl,DialbackResult:RequestDialback,DialbackVerify:AnswerVerification,Stanza:RouteStanza,StreamError:PeerGaveUp")]
    public void Each_state_acts_on_exactly_its_row_and_refuses_the_rest(string stateName, string row)
    {
        var state = Enum.Parse<InboundLinkState>(stateName);
        var allowed = row.Split(',').Select(cell => cell.Split(':')).ToDictionary(c => Enum.Parse<InboundElement>(c[0]), c => Enum.Parse<InboundAction>(c[1]));
        foreach (var element in Enum.GetValues<InboundElement>())
        {
            var step = InboundNegotiationTable.Step(state, element);
            Assert.Equal(allowed.GetValueOrDefault(element, InboundAction.Refuse), step.Action);
            Assert.Equal(step.Action == InboundAction.Refuse, step.Condition is not null);
        }
    }

    [Theory]
    [InlineData("Stanza")]
    [InlineData("StartTls")]
    [InlineData("DialbackResult")]
    [InlineData("Other")]
    public void Anything_but_a_header_before_the_header_is_not_well_formed(string element) =>
        Assert.Equal("not-well-formed", InboundNegotiationTable.Step(InboundLinkState.AwaitingHeader, Enum.Parse<InboundElement>(element)).Condition);

    [Theory]
    [InlineData("Insecure")]
    [InlineData("Secured")]
    public void A_stanza_before_any_domain_is_authenticated_is_not_authorized(string state)
    {
        var step = InboundNegotiationTable.Step(Enum.Parse<InboundLinkState>(state), InboundElement.Stanza);
        Assert.Equal(InboundAction.Refuse, step.Action);
        Assert.Equal("not-authorized", step.Condition);
    }

    [Theory]
    [InlineData("Insecure")]
    [InlineData("Secured")]
    [InlineData("Authenticated")]
    public void An_element_nobody_defined_is_an_unsupported_stanza_type_naming_it(string state)
    {
        var foo = new XmlElement("foo", "urn:example");
        var error = InboundNegotiationTable.Step(Enum.Parse<InboundLinkState>(state), InboundNegotiationTable.Classify(foo)).Refusal(foo);
        Assert.Equal("unsupported-stanza-type", error.Condition);
        Assert.Contains("<foo xmlns='urn:example'/>", error.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false, false, "AwaitingHeader")]
    [InlineData(false, true, true, "AwaitingHeader")]
    [InlineData(true, false, false, "Insecure")]
    [InlineData(true, true, false, "Secured")]
    [InlineData(true, false, true, "Authenticated")]
    [InlineData(true, true, true, "Authenticated")]
    public void The_state_is_read_from_what_the_link_negotiated(bool headerSent, bool secure, bool authenticated, string expected) =>
        Assert.Equal(Enum.Parse<InboundLinkState>(expected), InboundNegotiationTable.StateOf(headerSent, secure, authenticated));

    [Theory]
    [InlineData("starttls", "urn:ietf:params:xml:ns:xmpp-tls", "StartTls")]
    [InlineData("auth", "urn:ietf:params:xml:ns:xmpp-sasl", "Sasl")]
    [InlineData("result", "jabber:server:dialback", "DialbackResult")]
    [InlineData("verify", "jabber:server:dialback", "DialbackVerify")]
    [InlineData("message", "jabber:server", "Stanza")]
    [InlineData("iq", "jabber:client", "Stanza")] // refused later with invalid-namespace
    [InlineData("error", "http://etherx.jabber.org/streams", "StreamError")]
    [InlineData("proceed", "urn:ietf:params:xml:ns:xmpp-tls", "Other")]
    [InlineData("features", "http://etherx.jabber.org/streams", "Other")]
    public void Elements_are_named_by_name_and_namespace(string name, string ns, string expected) =>
        Assert.Equal(Enum.Parse<InboundElement>(expected), InboundNegotiationTable.Classify(new XmlElement(name, ns)));

    [Fact]
    public async Task A_message_sent_while_dialback_is_being_verified_ends_the_link_and_is_not_routed()
    {
        // The claimed domain's authoritative server accepts the verification connection and never
        // answers, so the peer's dialback stays pending for as long as the test needs.
        var authoritative = new TcpListener(IPAddress.Loopback, 0);
        authoritative.Start();
        try
        {
            await using var b = await FederatedServer.StartAsync("b.test");
            b.Policy.Allow("a.test", $"127.0.0.1:{((IPEndPoint)authoritative.LocalEndpoint).Port}");
            await using var bob = await b.LoginAsync("bob");
            await using var carol = await b.LoginAsync("carol");
            await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
            await peer.OpenAsync("a.test", "b.test");
            await peer.StartTlsAsync("a.test", "b.test");

            await peer.SendAsync("<db:result from='a.test' to='b.test'>" + new string('5', 64) + "</db:result>");
            using var verification = await authoritative.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await peer.SendAsync("<message from='alice@a.test' to='bob@b.test' type='chat'><body>before dialback</body></message>");

            Assert.Equal("not-authorized", await peer.ExpectStreamEndAsync());
            await carol.SendAsync("<message to='bob@b.test' type='chat'><body>marker</body></message>");
            var first = await bob.ExpectAsync(e => e.Name == "message");
            Assert.Equal("marker", first.ChildText("body", "jabber:client")); // the peer's message never got in ahead of it
            Assert.DoesNotContain(b.Federation.Snapshot(), p => p.Domain == "a.test" && (p.StanzasIn > 0 || p.InboundLinks > 0));
        }
        finally
        {
            authoritative.Stop();
        }
    }

    [Fact]
    public async Task An_element_no_server_to_server_stream_defines_ends_an_authenticated_link_with_unsupported_stanza_type()
    {
        await using var b = await FederatedServer.StartAsync("b.test", TestCertificates.Issued("b.test"), trusted: [TestCertificates.Authority]);
        b.Policy.Allow("a.test", null);
        await using var peer = await RawPeer.AuthenticatedAsync(b);

        await peer.SendAsync("<foo xmlns='urn:example:not-xmpp'/>");

        Assert.Equal("unsupported-stanza-type", await peer.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Sasl_on_a_stream_in_the_clear_is_answered_encryption_required_and_the_stream_stays()
    {
        await using var b = await FederatedServer.StartAsync("b.test");
        b.Policy.Allow("a.test", null);
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await peer.OpenAsync("a.test", "b.test");

        await peer.SendAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
        var failure = await peer.ExpectAsync(e => e.Name == "failure");
        Assert.Equal("encryption-required", failure.FirstElement()?.Name);

        await peer.StartTlsAsync("a.test", "b.test"); // the stream goes on: TLS is still possible
    }
}
