using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>The RFC 4013 §3 examples that the normalization-free SASLprep covers.</summary>
public sealed class SaslPrepTests
{
    [Theory]
    [InlineData("I\u00ADX", "IX")] // soft hyphen mapped to nothing
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("a\u2003b", "a b")] // EM SPACE mapped to SPACE
    [InlineData("a\uFE0Fb\u200Bc", "ab c")] // variation selector dropped; ZERO WIDTH SPACE is a non-ASCII space (C.1.2)
    [InlineData("p\u00E4ss \U0001F600", "p\u00E4ss \U0001F600")] // ordinary non-ASCII passes through
    public void Maps_as_rfc4013_says(string input, string expected)
    {
        Assert.Equal(expected, SaslPrep.Prepare(input));
    }

    [Theory]
    [InlineData("\u0007")] // C.2.1
    [InlineData("a\u0085")] // C.2.2
    [InlineData("\U000F0000")] // C.3
    [InlineData("\uFDD0")] // C.4
    [InlineData("\U0001FFFF")] // C.4, end of a plane
    [InlineData("\uDC00a")] // C.5, lone surrogate
    [InlineData("\u2FF0")] // C.7
    [InlineData("\u202E")] // C.8
    [InlineData("\U000E0001")] // C.9
    public void Refuses_prohibited_characters(string input)
    {
        Assert.Null(SaslPrep.Prepare(input));
    }
}
