using Converge.Core.Addressing;
using Converge.Core.Interworking;

namespace Converge.Core.Tests.Interworking;

public sealed class SmsDestinationPolicyTests
{
    [Theory]
    [InlineData("+4915112345678", "49")]
    [InlineData("+4940", "49")]
    [InlineData("+12125550100", "1")]
    [InlineData("+79161234567", "7")]
    [InlineData("+35312345678", "353")]
    [InlineData("+2125550100", "212")]
    [InlineData("+20123", "20")]
    [InlineData("+35", null)]
    [InlineData("+0123", null)]
    [InlineData("49x", null)]
    public void The_country_code_is_one_two_or_three_digits_as_e164_assigns_them(string number, string? code) =>
        Assert.Equal(code, E164CountryCode.Of(number));

    [Fact]
    public void Home_countries_come_from_the_providers_own_number_ranges() =>
        Assert.Equal(["49", "43"], SmsDestinationPolicy.HomeCountriesOf(["+4940", "+49151", "+4366"]));

    [Theory]
    [InlineData("+4915112345678", true)] // home country
    [InlineData("+4990012345", false)] // premium rate, denied although at home
    [InlineData("+4990099999", true)] // a longer allow inside the denied range
    [InlineData("+447700900123", false)] // abroad, not allowed
    [InlineData("+43664123456", true)] // abroad, allowed
    public void The_longest_prefix_decides_and_unlisted_numbers_go_only_to_the_home_country(string number, bool allowed)
    {
        var policy = new SmsDestinationPolicy(allow: ["+43", "+4990099"], deny: ["+49900"], homeCountryCodes: ["49"]);
        var decision = policy.Check(number);
        Assert.Equal(allowed, decision.Allowed);
        Assert.False(string.IsNullOrEmpty(decision.Rule));
    }

    [Fact]
    public void Deny_wins_a_tie_and_the_rule_is_named()
    {
        var decision = new SmsDestinationPolicy(["+4990"], ["+4990"], ["49"]).Check("+49901234");
        Assert.Equal(new SmsDestinationDecision(false, "Sms.DestinationPrefixes.Deny +4990"), decision);
    }

    [Fact]
    public void Without_any_rule_every_number_is_allowed_and_the_policy_says_it_is_open()
    {
        Assert.True(SmsDestinationPolicy.Open.IsOpen);
        Assert.True(SmsDestinationPolicy.Open.Check("+88212345678").Allowed);
        Assert.False(new SmsDestinationPolicy([], [], ["49"]).IsOpen);
    }
}
