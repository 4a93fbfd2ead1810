using Converge.Core.Addressing;

namespace Converge.Core.Tests.Addressing;

/// <summary>Email addresses as escaped JID localparts: only a routable mail address is one.</summary>
public sealed class EscapedEmailTests
{
    [Theory]
    [InlineData("peter\\40mail.example", "peter@mail.example")]
    [InlineData("Peter\\40Mail.Example", "Peter@Mail.Example")]
    [InlineData("john.doe\\40sub.mail.example", "john.doe@sub.mail.example")]
    [InlineData("o\\27brien\\40mail.example", "o'brien@mail.example")]
    [InlineData("a\\2fb\\40mail.example", "a/b@mail.example")]
    [InlineData("x\\40mail-1.example", "x@mail-1.example")]
    public void An_escaped_routable_address_is_an_email_address(string localpart, string expected) =>
        Assert.Equal(expected, EscapedEmail.FromLocalpart(localpart));

    [Theory]
    [InlineData(null)]
    [InlineData("alice")]                              // no escaped '@' at all
    [InlineData("alice\\40sms")]                       // an SMS sender name: "sms" has no dot
    [InlineData("alice\\40localhost")]                 // single-label domain
    [InlineData("\\40mail.example")]                   // no local part
    [InlineData("alice\\40")]                          // no domain
    [InlineData("a\\40b\\40mail.example")]             // two '@'
    [InlineData("a\\40mail..example")]                 // empty label
    [InlineData("a\\40.mail.example")]
    [InlineData("a\\40mail.example.")]
    [InlineData("a\\40-mail.example")]                 // label starting with '-'
    [InlineData("a\\40mail-.example")]
    [InlineData("a\\40mail_x.example")]                // '_' is no host name character
    [InlineData("a\\40[192.0.2.1]")]                   // address literal
    [InlineData("x\\40[10.0.0.5]")]                    // address literals of internal hosts
    [InlineData("x\\40[127.0.0.1]")]
    [InlineData("x\\40[IPv6\\3a::1]")]
    [InlineData("x\\40[IPv6\\3a\\3a\\3a1]")]
    [InlineData("x\\40[ipv6\\3afe80\\3a\\3a1]")]
    [InlineData("x\\40localhost")]
    [InlineData("x\\40127.0.0.1")]                     // a dotted IPv4 address as the domain
    [InlineData("x\\4010.0.0.5")]
    [InlineData("x\\40169.254.169.254")]
    [InlineData("x\\400x7f.0.0.1")]
    [InlineData("x\\40\uFF11\uFF12\uFF17.0.0.1")]         // fullwidth digits, which IDNA maps to 127.0.0.1
    [InlineData("a\\40mail.example\\2fx")]             // '/' in the domain
    [InlineData("a\\20b\\40mail.example\\20x")]        // space in the domain
    [InlineData("a\\20b\\40mail.example")]             // space in the local part
    public void Anything_else_is_not_an_email_address(string? localpart) =>
        Assert.Null(EscapedEmail.FromLocalpart(localpart));

    [Fact]
    public void A_local_part_longer_than_64_characters_is_refused()
    {
        Assert.NotNull(EscapedEmail.FromLocalpart(new string('a', 64) + "\\40mail.example"));
        Assert.Null(EscapedEmail.FromLocalpart(new string('a', 65) + "\\40mail.example"));
    }

    [Fact]
    public void A_label_longer_than_63_characters_is_refused()
    {
        Assert.NotNull(EscapedEmail.FromLocalpart("a\\40" + new string('b', 63) + ".example"));
        Assert.Null(EscapedEmail.FromLocalpart("a\\40" + new string('b', 64) + ".example"));
    }

    [Theory]
    [InlineData("peter@mail.example", true)]
    [InlineData("alice", false)]
    [InlineData("alice@sms", false)]
    [InlineData("ceo@partner.example/x", false)]
    [InlineData("a@b@mail.example", false)]
    [InlineData("@mail.example", false)]
    public void Routable_addresses_need_one_at_and_a_dotted_domain(string address, bool routable) =>
        Assert.Equal(routable, EscapedEmail.IsRoutableAddress(address));

    [Fact]
    public void An_address_goes_to_its_localpart_and_back()
    {
        var local = EscapedEmail.ToLocalpart("Peter.O'Brien@Mail.Example");
        Assert.Equal("peter.o\\27brien\\40mail.example", local);
        Assert.Equal("peter.o'brien@mail.example", EscapedEmail.FromLocalpart(local));
    }
}
