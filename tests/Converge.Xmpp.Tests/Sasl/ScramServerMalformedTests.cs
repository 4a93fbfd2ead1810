using System.Text;
using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>Client messages that break RFC 5802 §7 end the exchange with malformed-request.</summary>
public sealed class ScramServerMalformedTests
{
    [Theory]
    [InlineData("n,,n=user", "missing r=")]
    [InlineData("n,,n=user,r=", "empty nonce")]
    [InlineData("n,,r=abc,n=user", "r= before n=")]
    [InlineData("n,,n=user,x=1", "no nonce")]
    [InlineData("x,,n=user,r=abc", "unknown gs2 flag")]
    [InlineData("n,n=user,r=abc", "gs2 header without authzid field")]
    [InlineData("n=user,r=abc", "no gs2 header")]
    [InlineData("n,b=x,n=user,r=abc", "gs2 header with something other than a=")]
    [InlineData("n,,m=ext,n=user,r=abc", "mandatory extension")]
    [InlineData("n,,n=us=2Cer=2c,r=abc", "lower-case escape")]
    [InlineData("n,,n=us=er,r=abc", "invalid escape")]
    [InlineData("n,,n=user=,r=abc", "truncated escape")]
    [InlineData("n,a=x=41,n=user,r=abc", "invalid escape in authzid")]
    [InlineData("n,a=,n=user,r=abc", "empty authzid")]
    [InlineData("n,,n=,r=abc", "empty username")]
    [InlineData("n,,n=user,r=abc,1=x", "extension not named by a letter")]
    [InlineData("n,,n=user,r=abc,", "trailing comma")]
    [InlineData("n,,n=user,r=ab\u00e9", "non-printable nonce")]
    [InlineData("n,,n=us\0er,r=abc", "NUL")]
    public void Malformed_client_first_is_malformed_request(string message, string why)
    {
        var step = Server().Evaluate(Encoding.UTF8.GetBytes(message));

        Assert.True(step.Outcome == SaslOutcome.Failure, why);
        Assert.Equal("malformed-request", step.FailureCondition);
    }

    [Theory]
    [InlineData("p=,,n=user,r=abc")]
    [InlineData("p=tls server,,n=user,r=abc")]
    [InlineData("p=tls-server-end-point,n=user,r=abc")]
    public void Malformed_channel_binding_type_on_a_plus_mechanism_is_malformed_request(string message)
    {
        var server = new ScramServer("SHA-256", plus: true, SaslTestAccounts.Lookup, SaslTestAccounts.Binding);

        Assert.Equal("malformed-request", server.Evaluate(Encoding.UTF8.GetBytes(message)).FailureCondition);
    }

    [Fact]
    public void Client_first_that_is_not_utf8_is_malformed_request()
    {
        var step = Server().Evaluate([.. "n,,n=us"u8, 0xC3, 0x28, .. "er,r=abc"u8]);

        Assert.Equal("malformed-request", step.FailureCondition);
    }

    [Fact]
    public void Optional_extensions_after_the_nonce_are_ignored()
    {
        var step = Server().Evaluate("n,,n=user,r=abc,x=whatever"u8);

        Assert.Equal(SaslOutcome.Challenge, step.Outcome);
    }

    [Theory]
    [InlineData("c=biws,r={nonce}", "missing proof")]
    [InlineData("c=biws,r={nonce},p=", "empty proof")]
    [InlineData("c=biws,r={nonce},p=!!!!", "proof not base64")]
    [InlineData("c=biws,r={nonce},p=AAAA", "proof of the wrong length")]
    [InlineData("r={nonce},c=biws,p={proof}", "r= before c=")]
    [InlineData("c=biws,p={proof}", "missing r=")]
    [InlineData("c=b!ws,r={nonce},p={proof}", "c= not base64")]
    [InlineData("c=,r={nonce},p={proof}", "empty c=")]
    [InlineData("c=biws,r={nonce},1,p={proof}", "invalid extension")]
    [InlineData("c=biws,r=,p={proof}", "empty nonce")]
    public void Malformed_client_final_is_malformed_request(string template, string why)
    {
        var server = Server();
        var first = server.Evaluate("n,,n=user,r=abc"u8);
        var nonce = Encoding.UTF8.GetString(first.Data!).Split(',')[0][2..];
        var proof = Convert.ToBase64String(new byte[32]);

        var step = server.Evaluate(Encoding.UTF8.GetBytes(template.Replace("{nonce}", nonce, StringComparison.Ordinal).Replace("{proof}", proof, StringComparison.Ordinal)));

        Assert.True(step.Outcome == SaslOutcome.Failure, why);
        Assert.Equal("malformed-request", step.FailureCondition);
    }

    [Fact]
    public void Client_final_that_is_not_utf8_is_malformed_request()
    {
        var server = Server();
        server.Evaluate("n,,n=user,r=abc"u8);

        var step = server.Evaluate([.. "c=biws,r="u8, 0xFF, .. ",p=AAAA"u8]);

        Assert.Equal("malformed-request", step.FailureCondition);
    }

    private static ScramServer Server() => new("SHA-256", plus: false, SaslTestAccounts.Lookup, binding: null);
}
