using Converge.Core.Addressing;

namespace Converge.Core.Tests.Addressing;

public sealed class SmsSenderNameTests
{
    [Theory]
    [InlineData("MyBank", "mybank\\40sms")]
    [InlineData("A & B", "a\\20\\26\\20b\\40sms")]
    [InlineData("Info-24", "info-24\\40sms")]
    public void A_valid_name_becomes_an_escaped_localpart_that_is_recognised_again(string name, string localpart)
    {
        Assert.True(SmsSenderName.IsName(name));
        Assert.Equal(localpart, SmsSenderName.ToLocalpart(name));
        Assert.True(SmsSenderName.IsLocalpart(localpart));
        Assert.Null(EscapedEmail.FromLocalpart(localpart)); // never a mail address
    }

    [Theory]
    [InlineData("alice\\40sms\\40sms")]
    [InlineData("ceo\\40partner.example\\40sms")]
    [InlineData("MyBank\\40sms")] // not case-folded: not what the door makes
    [InlineData("toolongsender12\\40sms")]
    [InlineData("\\40sms")]
    [InlineData("alice")]
    [InlineData(null)]
    public void Anything_else_is_not_a_sender_name_localpart(string? localpart) =>
        Assert.False(SmsSenderName.IsLocalpart(localpart));
}
