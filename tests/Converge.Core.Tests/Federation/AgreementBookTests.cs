using Converge.Core.Addressing;
using Converge.Core.Federation;

namespace Converge.Core.Tests.Federation;

public sealed class AgreementBookTests
{
    private static AgreementBook Book(bool open = false) => new(
        open,
        [
            new InterconnectionAgreement("b.example", "127.0.0.1:6269", InterconnectionFeature.Messaging | InterconnectionFeature.Presence, ["+4930", "+49301"], ExposurePolicy.None),
            new InterconnectionAgreement("c.example", null, InterconnectionFeature.Messaging, ["+493012"], new ExposurePolicy(DeviceType: true)),
        ],
        ["+4940"]);

    [Theory]
    [InlineData("+4940123456", NumberRouteKind.Own, null)]
    [InlineData("+4930999999", NumberRouteKind.Peer, "b.example")]
    [InlineData("+4930129999", NumberRouteKind.Peer, "c.example")] // longest prefix wins over +4930 and +49301
    [InlineData("+4930199999", NumberRouteKind.Peer, "b.example")]
    [InlineData("+3312345678", NumberRouteKind.Unknown, null)]
    public void Numbers_route_by_longest_prefix(string number, NumberRouteKind kind, string? domain)
    {
        var route = Book().RouteNumber(number);
        Assert.Equal(kind, route.Kind);
        Assert.Equal(domain, route.Domain);
    }

    [Fact]
    public void A_peer_number_under_our_domain_is_rewritten_to_the_peers_domain()
    {
        var peer = Book().PeerAddressFor(Jid.Parse("+4930999999@a.example/phone"));
        Assert.Equal("+4930999999@b.example/phone", peer?.ToString());
        Assert.Null(Book().PeerAddressFor(Jid.Parse("+4940999999@a.example")));
        Assert.Null(Book().PeerAddressFor(Jid.Parse("alice@a.example")));
    }

    [Fact]
    public void Features_are_allowed_only_as_agreed_and_only_with_agreed_domains()
    {
        var book = Book();
        Assert.True(book.Allows("b.example", InterconnectionFeature.Presence));
        Assert.False(book.Allows("b.example", InterconnectionFeature.Search));
        Assert.False(book.Allows("c.example", InterconnectionFeature.Presence));
        Assert.False(book.MayLink("d.example"));
        Assert.False(book.Allows("d.example", InterconnectionFeature.Messaging));
        Assert.True(Book(open: true).Allows("d.example", InterconnectionFeature.Messaging));
        Assert.True(book.MayLink("B.EXAMPLE"));
        Assert.False(book.Allows("search.b.example", InterconnectionFeature.Messaging)); // b.example's agreement does not say IncludeSubdomains
        Assert.False(book.MayLink("b.example.evil"));
    }

    [Fact]
    public void Exposure_defaults_to_nothing_without_an_agreement()
    {
        var book = Book(open: true);
        Assert.Equal(ExposurePolicy.None, book.ExposureFor("d.example"));
        Assert.True(book.ExposureFor("c.example").DeviceType);
    }

    [Fact]
    public void An_open_federation_lets_every_feature_cross_but_interworking()
    {
        var open = new AgreementBook(true, [], []);

        Assert.True(open.Allows("stranger.example", InterconnectionFeature.Messaging | InterconnectionFeature.Search));
        Assert.False(open.Allows("stranger.example", InterconnectionFeature.Interworking));
        Assert.False(open.Allows("stranger.example", InterconnectionFeature.Messaging | InterconnectionFeature.Interworking));
    }

    [Fact]
    public void Interworking_crosses_only_where_an_agreement_grants_it_by_name()
    {
        var book = new AgreementBook(
            true,
            [
                new InterconnectionAgreement("b.example", null, InterconnectionFeature.Messaging | InterconnectionFeature.Interworking, [], ExposurePolicy.None, IncludeSubdomains: true),
                new InterconnectionAgreement("c.example", null, InterconnectionFeature.Messaging, [], ExposurePolicy.None),
            ],
            []);

        Assert.True(book.Allows("b.example", InterconnectionFeature.Interworking));
        Assert.True(book.Allows("search.b.example", InterconnectionFeature.Interworking));
        Assert.False(book.Allows("c.example", InterconnectionFeature.Interworking));
    }

    [Fact]
    public void An_agreement_covers_subdomains_only_when_it_says_so()
    {
        var exact = new AgreementBook(false, [new InterconnectionAgreement("b.example", "127.0.0.1:6269", InterconnectionFeature.Messaging, [], ExposurePolicy.None)], []);
        Assert.NotNull(exact.Find("b.example"));
        Assert.Null(exact.Find("conference.b.example"));
        Assert.Null(exact.Find("evil.b.example"));
        Assert.False(exact.MayLink("evil.b.example"));
        Assert.False(exact.Allows("evil.b.example", InterconnectionFeature.Messaging));
        Assert.Null(exact.Find("x.conference.b.example"));

        var wide = new AgreementBook(
            false,
            [
                new InterconnectionAgreement("b.example", "127.0.0.1:6269", InterconnectionFeature.Messaging, [], ExposurePolicy.None, IncludeSubdomains: true),
                new InterconnectionAgreement("muc.c.example", null, InterconnectionFeature.GroupChat, [], ExposurePolicy.None),
            ],
            []);
        Assert.Equal("b.example", wide.Find("Conference.B.Example")?.PeerDomain);
        Assert.Equal("b.example", wide.Find("x.conference.b.example")?.PeerDomain); // any depth
        Assert.True(wide.MayLink("evil.b.example"));
        Assert.Null(wide.Find("b.example.evil"));
        Assert.Null(wide.Find("notb.example"));

        // The nearest agreement decides: one of its own that does not include subdomains is not widened by nothing above it.
        Assert.Null(wide.Find("rooms.muc.c.example"));
        Assert.Equal("muc.c.example", wide.Find("muc.c.example")?.PeerDomain);
    }
}
