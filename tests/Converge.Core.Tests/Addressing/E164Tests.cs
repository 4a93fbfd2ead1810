using Converge.Core.Addressing;

namespace Converge.Core.Tests.Addressing;

/// <summary>Phone numbers as users type them, and as JID localparts.</summary>
public sealed class E164Tests
{
    [Theory]
    [InlineData("+4915112345678", "+4915112345678")]
    [InlineData("+49 151 12345678", "+4915112345678")]
    [InlineData("+49-151-1234-5678", "+4915112345678")]
    [InlineData("+1 (555) 123-4567", "+15551234567")]
    [InlineData("(+1) 555 123 4567", "+15551234567")]
    [InlineData("0049 151 12345678", "+4915112345678")]
    [InlineData("004915112345678", "+4915112345678")]
    [InlineData("+44 (0)20 7946 0018", "+442079460018")]
    [InlineData("+1.555.123.4567", "+15551234567")]
    [InlineData("  +4915112345678  ", "+4915112345678")]
    [InlineData("+12", "+12")]
    [InlineData("+123456789012345", "+123456789012345")]
    [InlineData("00123456789012345", "+123456789012345")]
    public void Written_forms_normalise_to_plus_and_digits(string text, string expected)
    {
        Assert.True(E164.TryNormalize(text, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("+")]
    [InlineData("+1")]                  // one digit
    [InlineData("+1234567890123456")]   // sixteen digits
    [InlineData("001234567890123456")]  // sixteen after 00
    [InlineData("015112345678")]        // national: no country code
    [InlineData("4915112345678")]       // neither + nor 00
    [InlineData("+0049151")]            // country code cannot start with 0
    [InlineData("000049151")]
    [InlineData("+49 151 1234567x")]
    [InlineData("+49+151")]
    [InlineData("00+49151")]
    [InlineData("+49 151 ١٢٣")]          // non-ASCII digits
    [InlineData("alice")]
    public void Anything_else_is_rejected(string? text)
    {
        Assert.False(E164.TryNormalize(text, out var normalized));
        Assert.Null(normalized);
    }

    [Theory]
    [InlineData("+4915112345678", true)]
    [InlineData("+12", true)]
    [InlineData("+123456789012345", true)]
    [InlineData("+1", false)]
    [InlineData("+1234567890123456", false)]
    [InlineData("+049151", false)]
    [InlineData("4915112345678", false)]
    [InlineData("+49 151", false)]
    [InlineData("+49-151", false)]
    [InlineData("alice", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_the_canonical_form_is_an_E164_localpart(string? local, bool expected)
    {
        Assert.Equal(expected, E164.IsE164Localpart(local));
    }

    [Fact]
    public void Number_jid_localpart_is_recognised()
    {
        var jid = Jid.Parse("+4915112345678@a.example");

        Assert.True(E164.IsE164Localpart(jid.Local));
        Assert.False(E164.IsE164Localpart(Jid.Parse("alice@a.example").Local));
        Assert.False(E164.IsE164Localpart(Jid.Parse("a.example").Local));
    }

    [Fact]
    public void Normalised_number_is_always_an_E164_localpart()
    {
        Assert.True(E164.TryNormalize("0044 (0)20 7946-0018", out var n));
        Assert.True(E164.IsE164Localpart(n));
    }
}
