using Converge.Xmpp.Federation;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>How links authenticate: SASL EXTERNAL where certificates prove the domains, dialback otherwise.</summary>
public sealed class LinkAuthenticationTests
{
    [Fact]
    public async Task Providers_with_certificates_from_a_trusted_authority_authenticate_with_sasl_external()
    {
        await using var a = await FederatedServer.StartAsync("a.test", TestCertificates.Issued("a.test"), trusted: [TestCertificates.Authority]);
        await using var b = await FederatedServer.StartAsync("b.test", TestCertificates.Issued("b.test"), trusted: [TestCertificates.Authority]);
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>signed and sealed</body></message>");
        await bob.ExpectAsync(e => e.Name == "message");

        Assert.Equal("sasl-external", a.Federation.Snapshot().Single(p => p.Domain == "b.test").OutboundAuthentication);
    }

    [Fact]
    public async Task A_certificate_for_another_domain_falls_back_to_dialback()
    {
        // b.test presents a CA-issued certificate, but for the wrong name: it proves nothing about b.test.
        await using var a = await FederatedServer.StartAsync("a.test", TestCertificates.Issued("a.test"), trusted: [TestCertificates.Authority]);
        await using var b = await FederatedServer.StartAsync("b.test", TestCertificates.Issued("not-b.test"), trusted: [TestCertificates.Authority]);
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>hello</body></message>");
        await bob.ExpectAsync(e => e.Name == "message");

        Assert.Equal("dialback", a.Federation.Snapshot().Single(p => p.Domain == "b.test").OutboundAuthentication);
    }
}
