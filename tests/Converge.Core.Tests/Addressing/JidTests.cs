using Converge.Core.Addressing;

namespace Converge.Core.Tests.Addressing;

/// <summary>RFC 7622 addresses as Jid parses, folds and compares them.</summary>
public sealed class JidTests
{
    [Fact]
    public void Parse_splits_local_domain_and_resource()
    {
        var jid = Jid.Parse("alice@a.example/phone");

        Assert.Equal("alice", jid.Local);
        Assert.Equal("a.example", jid.Domain);
        Assert.Equal("phone", jid.Resource);
        Assert.False(jid.IsBare);
        Assert.False(jid.IsDomain);
    }

    [Fact]
    public void Local_and_domain_are_case_folded_resource_keeps_its_case()
    {
        var jid = Jid.Parse("Alice@A.Example/Phone");

        Assert.Equal("alice", jid.Local);
        Assert.Equal("a.example", jid.Domain);
        Assert.Equal("Phone", jid.Resource);
        Assert.Equal("alice@a.example/Phone", jid.ToString());
    }

    [Fact]
    public void Non_ascii_local_part_is_case_folded()
    {
        Assert.Equal(Jid.Parse("jürgen@a.example"), Jid.Parse("JÜRGEN@A.EXAMPLE"));
    }

    [Fact]
    public void Addresses_differing_only_in_local_or_domain_case_are_equal_with_equal_hashes()
    {
        var a = Jid.Parse("BOB@B.example");
        var b = Jid.Parse("bob@b.EXAMPLE");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Addresses_differing_in_resource_case_are_different()
    {
        var a = Jid.Parse("bob@b.example/Home");
        var b = Jid.Parse("bob@b.example/home");

        Assert.NotEqual(a, b);
        Assert.True(a != b);
    }

    [Fact]
    public void Bare_drops_the_resource_and_WithResource_adds_one()
    {
        var full = Jid.Parse("alice@a.example/phone");
        var bare = full.Bare;

        Assert.Equal(Jid.Parse("alice@a.example"), bare);
        Assert.True(bare.IsBare);
        Assert.Null(bare.Resource);
        Assert.Equal(full, bare.WithResource("phone"));
        Assert.Same(bare, bare.Bare);
    }

    [Fact]
    public void Domain_only_address_is_a_domain_and_bare()
    {
        var jid = Jid.Parse("a.example");

        Assert.Null(jid.Local);
        Assert.True(jid.IsDomain);
        Assert.True(jid.IsBare);
        Assert.False(Jid.Parse("a.example/admin").IsDomain);
        Assert.False(Jid.Parse("x@a.example").IsDomain);
    }

    [Fact]
    public void Resource_may_contain_at_slash_and_spaces()
    {
        var jid = Jid.Parse("alice@a.example/My Phone/2@home");

        Assert.Equal("alice", jid.Local);
        Assert.Equal("My Phone/2@home", jid.Resource);
    }

    [Fact]
    public void Create_builds_the_same_address_as_Parse()
    {
        Assert.Equal(Jid.Parse("alice@a.example/r"), Jid.Create("Alice", "A.example", "r"));
        Assert.Equal(Jid.Parse("a.example"), Jid.Domainpart("A.EXAMPLE"));
    }

    [Theory]
    [InlineData("a\"b@x.example")]
    [InlineData("a&b@x.example")]
    [InlineData("a'b@x.example")]
    [InlineData("a:b@x.example")]
    [InlineData("a<b@x.example")]
    [InlineData("a>b@x.example")]
    [InlineData("a b@x.example")]
    [InlineData("a\tb@x.example")]
    [InlineData("a\u0001b@x.example")]
    public void Local_part_with_a_forbidden_character_is_rejected(string text)
    {
        Assert.False(Jid.TryParse(text, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("@x.example")]
    [InlineData("alice@")]
    [InlineData("alice@x.example/")]
    [InlineData("a@b@x.example")]
    [InlineData("alice@x..example")]
    [InlineData("alice@.")]
    [InlineData("alice@x.example:5222")]
    [InlineData("alice@x exam.ple")]
    [InlineData("alice@x.example/res\u0007")]
    [InlineData("alice@[::1")]
    [InlineData("alice@[not-an-ip]")]
    public void Malformed_address_is_rejected(string text)
    {
        Assert.False(Jid.TryParse(text, out var jid));
        Assert.Null(jid);
    }

    [Fact]
    public void Null_is_rejected_and_Parse_throws_FormatException()
    {
        Assert.False(Jid.TryParse(null, out _));
        Assert.Throws<FormatException>(() => Jid.Parse("@"));
    }

    [Fact]
    public void Escaped_email_address_is_a_valid_local_part()
    {
        // XEP-0106: how an email address is written as a JID in the sender's own domain.
        var jid = Jid.Parse(@"peter\40mail.example@a.example");

        Assert.Equal(@"peter\40mail.example", jid.Local);
    }

    [Fact]
    public void E164_number_is_a_valid_local_part()
    {
        Assert.Equal("+4915112345678", Jid.Parse("+4915112345678@a.example").Local);
    }

    [Fact]
    public void Trailing_dot_of_the_domain_is_ignored()
    {
        Assert.Equal(Jid.Parse("alice@a.example"), Jid.Parse("alice@a.example."));
        Assert.Equal("a.example", Jid.Parse("a.example./r").Domain);
    }

    [Theory]
    [InlineData("alice@[2001:db8::1]", "[2001:db8::1]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("alice@[2001:DB8::A]/res", "[2001:db8::a]")]
    public void IPv6_literal_domain_is_accepted(string text, string domain)
    {
        Assert.Equal(domain, Jid.Parse(text).Domain);
    }

    [Fact]
    public void Local_part_of_1023_bytes_is_accepted_1024_is_not()
    {
        Assert.True(Jid.TryParse(new string('a', 1023) + "@x.example", out _));
        Assert.False(Jid.TryParse(new string('a', 1024) + "@x.example", out _));
    }

    [Fact]
    public void Byte_limit_counts_utf8_bytes_not_characters()
    {
        // 'é' is two bytes in UTF-8: 511 of them fit in 1023 bytes, 512 do not.
        Assert.True(Jid.TryParse(new string('é', 511) + "@x.example", out _));
        Assert.False(Jid.TryParse(new string('é', 512) + "@x.example", out _));
    }

    [Fact]
    public void Domain_of_1023_bytes_is_accepted_1024_is_not()
    {
        var label = new string('d', 63);
        var domain = string.Join('.', Enumerable.Repeat(label, 16)); // 16 * 63 + 15 dots = 1023
        Assert.Equal(1023, domain.Length);

        Assert.True(Jid.TryParse("a@" + domain, out _));
        Assert.False(Jid.TryParse("a@" + domain + "e", out _)); // last label 64: also too long
        Assert.False(Jid.TryParse("a@" + domain + ".e", out _));
    }

    [Fact]
    public void Domain_label_longer_than_63_is_rejected()
    {
        Assert.True(Jid.TryParse("a@" + new string('d', 63) + ".example", out _));
        Assert.False(Jid.TryParse("a@" + new string('d', 64) + ".example", out _));
    }

    [Fact]
    public void Resource_of_1023_bytes_is_accepted_1024_is_not()
    {
        Assert.True(Jid.TryParse("a@x.example/" + new string('r', 1023), out _));
        Assert.False(Jid.TryParse("a@x.example/" + new string('r', 1024), out _));
    }

    [Fact]
    public void Address_with_every_part_at_its_limit_is_accepted()
    {
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 63), 16));
        var text = new string('l', 1023) + "@" + domain + "/" + new string('r', 1023);

        Assert.True(Jid.TryParse(text, out var jid));
        Assert.Equal(text, jid.ToString());
    }
}
