using System.Text;
using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>PLAIN (RFC 4616) checked against the stored SCRAM credential.</summary>
public sealed class PlainServerTests
{
    [Fact]
    public void Right_password_succeeds_without_additional_data()
    {
        var server = new PlainServer(SaslTestAccounts.Lookup);

        var step = server.Evaluate("\0user\0pencil"u8);

        Assert.Equal(SaslOutcome.Success, step.Outcome);
        Assert.Null(step.Data);
        Assert.Equal("user", server.Username);
        Assert.Null(server.AuthorizationId);
        Assert.Equal("PLAIN", server.Mechanism);
    }

    [Fact]
    public void Wrong_password_is_not_authorized()
    {
        var step = new PlainServer(SaslTestAccounts.Lookup).Evaluate("\0user\0pencil!"u8);

        Assert.Equal(SaslOutcome.Failure, step.Outcome);
        Assert.Equal("not-authorized", step.FailureCondition);
    }

    [Fact]
    public void Unknown_user_is_not_authorized_like_a_wrong_password()
    {
        var step = new PlainServer(SaslTestAccounts.Lookup).Evaluate("\0nobody\0pencil"u8);

        Assert.Equal("not-authorized", step.FailureCondition);
        Assert.Null(step.FailureText);
    }

    [Fact]
    public void Authzid_is_reported_for_the_xmpp_layer_to_judge()
    {
        var server = new PlainServer(SaslTestAccounts.Lookup);

        var step = server.Evaluate("user@a.example\0user\0pencil"u8);

        Assert.Equal(SaslOutcome.Success, step.Outcome);
        Assert.Equal("user@a.example", server.AuthorizationId);
    }

    [Fact]
    public void Account_with_only_a_sha1_credential_can_log_in()
    {
        var sha1Only = ScramCredentials.Derive("SHA-1", "pencil");
        var server = new PlainServer((u, h) => u == "old" && h == "SHA-1" ? sha1Only : null);

        Assert.Equal(SaslOutcome.Success, server.Evaluate("\0old\0pencil"u8).Outcome);
    }

    [Theory]
    [InlineData("userpencil", "no NUL")]
    [InlineData("\0userpencil", "one NUL")]
    [InlineData("\0user\0pen\0cil", "three NULs")]
    [InlineData("\0\0pencil", "empty authcid")]
    [InlineData("\0user\0", "empty password")]
    public void Malformed_message_is_malformed_request(string message, string why)
    {
        var step = new PlainServer(SaslTestAccounts.Lookup).Evaluate(Encoding.UTF8.GetBytes(message));

        Assert.True(step.Outcome == SaslOutcome.Failure, why);
        Assert.Equal("malformed-request", step.FailureCondition);
    }

    [Fact]
    public void Field_longer_than_1023_bytes_is_malformed_request()
    {
        var at = new PlainServer(SaslTestAccounts.Lookup).Evaluate(Encoding.UTF8.GetBytes($"\0user\0{new string('p', 1023)}"));
        var over = new PlainServer(SaslTestAccounts.Lookup).Evaluate(Encoding.UTF8.GetBytes($"\0user\0{new string('p', 1024)}"));

        Assert.Equal("not-authorized", at.FailureCondition);
        Assert.Equal("malformed-request", over.FailureCondition);
    }

    [Fact]
    public void Password_that_is_not_utf8_is_malformed_request()
    {
        var step = new PlainServer(SaslTestAccounts.Lookup).Evaluate([.. "\0user\0pen"u8, 0xC0, 0xAF]);

        Assert.Equal("malformed-request", step.FailureCondition);
    }

    [Fact]
    public void Empty_initial_response_gets_an_empty_challenge_then_the_credentials()
    {
        var server = new PlainServer(SaslTestAccounts.Lookup);

        var challenge = server.Evaluate([]);
        var step = server.Evaluate("\0user\0pencil"u8);

        Assert.Equal(SaslOutcome.Challenge, challenge.Outcome);
        Assert.Empty(challenge.Data!);
        Assert.Equal(SaslOutcome.Success, step.Outcome);
    }

    [Fact]
    public void Any_message_after_completion_fails()
    {
        var server = new PlainServer(SaslTestAccounts.Lookup);
        server.Evaluate("\0user\0pencil"u8);

        var after = server.Evaluate("\0user\0pencil"u8);

        Assert.Equal(SaslOutcome.Failure, after.Outcome);
    }
}
