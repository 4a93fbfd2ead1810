using System.Text;
using Converge.Core.Accounts;
using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>The exchanges printed in RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256), byte for byte.</summary>
public sealed class ScramRfcVectorTests
{
    [Fact]
    public void Rfc5802_ScramSha1_exchange_is_reproduced_byte_exact()
    {
        var credential = ScramCredentials.Derive("SHA-1", "pencil", Convert.FromBase64String("QSXCR+Q6sek8bf92"), 4096);
        var server = new ScramServer("SHA-1", plus: false, Only("user", credential), binding: null) { ServerNonceSuffix = "3rfcNHYJY1ZVvWVs7j" };

        var first = server.Evaluate("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"u8);
        Assert.Equal(SaslOutcome.Challenge, first.Outcome);
        Assert.Equal("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", Encoding.UTF8.GetString(first.Data!));

        var final = server.Evaluate("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="u8);
        Assert.Equal(SaslOutcome.Success, final.Outcome);
        Assert.Equal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", Encoding.UTF8.GetString(final.Data!));
        Assert.Equal("user", server.Username);
        Assert.Null(server.AuthorizationId);
    }

    [Fact]
    public void Rfc7677_ScramSha256_exchange_is_reproduced_byte_exact()
    {
        var credential = ScramCredentials.Derive("SHA-256", "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        var server = new ScramServer("SHA-256", plus: false, Only("user", credential), binding: null) { ServerNonceSuffix = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0" };

        var first = server.Evaluate("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"u8);
        Assert.Equal(SaslOutcome.Challenge, first.Outcome);
        Assert.Equal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", Encoding.UTF8.GetString(first.Data!));

        var final = server.Evaluate("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="u8);
        Assert.Equal(SaslOutcome.Success, final.Outcome);
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Encoding.UTF8.GetString(final.Data!));
    }

    [Fact]
    public void Rfc7677_client_final_with_a_flipped_proof_bit_is_not_authorized()
    {
        var credential = ScramCredentials.Derive("SHA-256", "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        var server = new ScramServer("SHA-256", plus: false, Only("user", credential), binding: null) { ServerNonceSuffix = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0" };

        server.Evaluate("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"u8);
        var final = server.Evaluate("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=eHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="u8);

        Assert.Equal(SaslOutcome.Failure, final.Outcome);
        Assert.Equal("not-authorized", final.FailureCondition);
    }

    private static Func<string, string, ScramCredential?> Only(string username, ScramCredential credential) =>
        (u, h) => u == username && h == credential.Hash ? credential : null;
}
