using Converge.Interworking.Sms;

namespace Converge.Interworking.Tests.Sms;

/// <summary>
/// Who an inbound SMS may say it is from: a +E164 number or a name shown as name\40sms, never
/// anything that reads as an account, a remote user or a mail address.
/// </summary>
public sealed class SmsSenderAddressTests
{
    private static readonly SmsSenderAddress WithoutCountry = new();
    private static readonly SmsSenderAddress Germany = new("49", "0");

    [Theory]
    [InlineData(1, "4915112345678", "+4915112345678")]
    [InlineData(1, "+4915112345678", "+4915112345678")]      // some SMSCs keep the '+'
    [InlineData(0, "4915112345678", "+4915112345678")]       // TON unknown, long enough to be international
    [InlineData(0, "+4915112345678", "+4915112345678")]
    [InlineData(0, "004915112345678", "+4915112345678")]
    public void International_numbers_become_plus_e164(byte ton, string source, string expected) =>
        Assert.Equal(expected, Accepted(WithoutCountry, ton, source));

    [Theory]
    [InlineData(2, "015112345678", "+4915112345678")]        // national with the trunk prefix
    [InlineData(2, "15112345678", "+4915112345678")]         // national without it
    [InlineData(0, "015112345678", "+4915112345678")]        // TON unknown, trunk prefix: national
    public void National_numbers_are_made_international_with_the_configured_country_code(byte ton, string source, string expected) =>
        Assert.Equal(expected, Accepted(Germany, ton, source));

    [Fact]
    public void National_numbers_are_refused_when_no_country_code_is_configured()
    {
        Assert.Contains("Sms.CountryCode", Refused(WithoutCountry, 2, "015112345678"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, "MyBank", "mybank\\40sms")]
    [InlineData(5, "alice", "alice\\40sms")]
    [InlineData(5, "My Bank", "my\\20bank\\40sms")]
    [InlineData(5, "M&S", "m\\26s\\40sms")]
    [InlineData(5, "Amazon.de", "amazon.de\\40sms")]
    [InlineData(5, "DHL-Express", "dhl-express\\40sms")]
    [InlineData(5, "12345", "12345\\40sms")]
    [InlineData(0, "alice", "alice\\40sms")]                  // TON unknown but letters: a name
    [InlineData(0, "22022", "22022\\40sms")]                  // TON unknown, too short for a number: a short code
    [InlineData(3, "4411", "4411\\40sms")]                    // network-specific short code
    [InlineData(6, "112", "112\\40sms")]                      // abbreviated number
    public void Sender_names_and_short_codes_are_shown_as_name_at_sms(byte ton, string source, string expected) =>
        Assert.Equal(expected, Accepted(WithoutCountry, ton, source));

    [Theory]
    [InlineData(5, "ceo@partner.example/x")]
    [InlineData(5, "mary@a.example")]
    [InlineData(5, "a/b")]
    [InlineData(5, "alice\\40sms")]
    [InlineData(5, "+4915112345678")]     // a name posing as a number
    [InlineData(5, "TwelveChars1")]       // longer than 11
    [InlineData(5, "Müller")]             // not ASCII
    [InlineData(5, "bank\u0000x")]
    [InlineData(5, "a:b")]
    [InlineData(5, "a<b>")]
    [InlineData(5, "a'b")]
    [InlineData(5, "a  b")]
    [InlineData(5, "...")]                // no letter or digit
    [InlineData(5, "")]
    [InlineData(5, "   ")]
    [InlineData(1, "alice")]              // TON international but no number
    [InlineData(1, "0049151")]            // country code cannot start with 0
    [InlineData(1, "1234567890123456")]   // sixteen digits
    [InlineData(1, "1")]
    [InlineData(0, "+49abc")]
    [InlineData(0, "ceo@partner.ex")]
    [InlineData(4, "1234567")]            // subscriber number: no area, no country
    [InlineData(7, "4915112345678")]      // reserved TON
    public void Anything_else_is_refused(byte ton, string source) =>
        Assert.False(string.IsNullOrEmpty(Refused(Germany, ton, source)));

    [Theory]
    [InlineData(1, "4915112345678", "+4915112345678")]
    [InlineData(0, "4915112345678", "+4915112345678")]
    [InlineData(0, "004915112345678", "+4915112345678")]
    [InlineData(0, "+4915112345678", "+4915112345678")]
    [InlineData(0, "12345", "12345")]
    [InlineData(2, "015112345678", "015112345678")]   // national, no country code configured
    [InlineData(5, "Converge", "Converge")]
    [InlineData(5, "4915112345678", "4915112345678")] // an alphanumeric field is never taken for a number
    public void Destinations_and_report_sources_become_e164_where_they_are_numbers_else_stay_as_given(byte ton, string address, string shown) =>
        Assert.Equal(shown, WithoutCountry.NumberOrAsGiven(ton, address));

    [Fact]
    public void A_national_destination_is_made_international_with_the_configured_country_code() =>
        Assert.Equal("+4940555000", Germany.NumberOrAsGiven(2, "040555000"));

    [Theory]
    [InlineData("+4915112345678", true)]
    [InlineData("mybank\\40sms", true)]
    [InlineData("my\\20bank\\40sms", true)]
    [InlineData("alice", false)]
    [InlineData("alice\\40mail.example", false)]
    [InlineData("a\\2fb\\40sms", false)]
    [InlineData("toolongname1\\40sms", false)]
    [InlineData("MyBank\\40sms", false)]  // what the rule makes is folded
    [InlineData(null, false)]
    public void Only_the_forms_the_rule_makes_are_sender_localparts(string? localpart, bool expected) =>
        Assert.Equal(expected, SmsSenderAddress.IsSenderLocalpart(localpart));

    private static string Accepted(SmsSenderAddress rule, byte ton, string source)
    {
        Assert.True(rule.TryGetLocalpart(ton, source, out var localpart, out var reason), $"'{source}' (TON {ton}) refused: {reason}");
        Assert.True(SmsSenderAddress.IsSenderLocalpart(localpart), $"{localpart} is not recognised as a sender localpart");
        return localpart;
    }

    private static string Refused(SmsSenderAddress rule, byte ton, string source)
    {
        Assert.False(rule.TryGetLocalpart(ton, source, out var localpart, out var reason), $"'{source}' (TON {ton}) accepted as {localpart}");
        return reason;
    }
}
