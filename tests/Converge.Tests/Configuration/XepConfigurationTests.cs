using Converge.Configuration;

namespace Converge.Tests.Configuration;

/// <summary>The Push, Components, ContactAddresses and ExternalServices sections.</summary>
public sealed class XepConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Defaults_offer_push_without_bodies_and_no_component_contact_or_external_service()
    {
        var settings = ConfigurationLoader.Load(null, NoEnvironment).Settings;

        Assert.True(settings.Push.Enabled);
        Assert.False(settings.Push.IncludeBody);
        Assert.Equal("127.0.0.1:5347", settings.ComponentEndpoint!.ToString());
        Assert.Empty(settings.Components);
        Assert.Empty(settings.ContactAddresses);
        Assert.Empty(settings.ExternalServices.Services);
    }

    [Fact]
    public void Components_contacts_and_turn_services_are_read()
    {
        var file = _dir.Write("c.json", """
            { "Domain": "a.example",
              "Push": { "IncludeBody": true, "MaxRegistrationsPerAccount": 3 },
              "Components": [ { "Domain": "GW.a.example", "Secret": "0123456789abcdef" } ],
              "ContactAddresses": { "Abuse": [ "mailto:abuse@a.example" ], "security": [ "xmpp:security@a.example", "https://a.example/security" ] },
              "ExternalServices": { "CredentialLifetime": "02:00:00", "Services": [
                  { "Host": "turn.a.example", "Port": 3478, "Type": "TURN", "Transport": "udp", "Secret": "s3cret" },
                  { "Host": "stun.a.example", "Type": "stun" } ] } }
            """);

        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings;

        Assert.True(settings.Push.IncludeBody);
        Assert.Equal(3, settings.Push.MaxRegistrationsPerAccount);
        Assert.Equal("gw.a.example", Assert.Single(settings.Components).Domain);
        Assert.Equal(["mailto:abuse@a.example"], settings.ContactAddresses["abuse-addresses"]);
        Assert.Equal(["xmpp:security@a.example", "https://a.example/security"], settings.ContactAddresses["security-addresses"]);
        Assert.Equal(TimeSpan.FromHours(2), settings.ExternalServices.CredentialLifetime);
        var turn = settings.ExternalServices.Services[0];
        Assert.Equal(("turn", 3478, "udp", true), (turn.Type, turn.Port!.Value, turn.Transport, turn.Restricted));
        Assert.False(settings.ExternalServices.Services[1].Restricted);
        Assert.DoesNotContain("s3cret", turn.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", settings.Components[0].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Components": [ { "Domain": "gw.a.example", "Secret": "short" } ] }""", "Components[0].Secret")]
    [InlineData("""{ "Components": [ { "Domain": "a.example", "Secret": "0123456789abcdef" } ] }""", "Components[0].Domain")]
    [InlineData("""{ "Components": [ { "Domain": "conference.a.example", "Secret": "0123456789abcdef" } ] }""", "Components[0].Domain")]
    [InlineData("""{ "Components": [ { "Domain": "x.a.example", "Secret": "0123456789abcdef" }, { "Domain": "X.a.example", "Secret": "0123456789abcdef" } ] }""", "Components[1].Domain")]
    [InlineData("""{ "Components": [ { "Domain": "not a domain", "Secret": "0123456789abcdef" } ] }""", "Components[0].Domain")]
    [InlineData("""{ "ContactAddresses": { "Abuse": [ "abuse at a.example" ] } }""", "ContactAddresses.Abuse[0]")]
    [InlineData("""{ "ExternalServices": { "Services": [ { "Type": "stun" } ] } }""", "ExternalServices.Services[0].Host")]
    [InlineData("""{ "ExternalServices": { "Services": [ { "Host": "h", "Type": "turn", "Port": 70000 } ] } }""", "ExternalServices.Services[0].Port")]
    [InlineData("""{ "ExternalServices": { "Services": [ { "Host": "h", "Type": "turn", "Transport": "sctp" } ] } }""", "ExternalServices.Services[0].Transport")]
    [InlineData("""{ "ExternalServices": { "Services": [ { "Host": "h", "Type": "turn", "Secret": "s", "Username": "u" } ] } }""", "ExternalServices.Services[0].Secret")]
    [InlineData("""{ "ExternalServices": { "CredentialLifetime": "-01:00:00" } }""", "ExternalServices.CredentialLifetime")]
    [InlineData("""{ "Push": { "MaxRegistrationsPerAccount": 0 } }""", "Push.MaxRegistrationsPerAccount")]
    [InlineData("""{ "Listeners": { "Component": "somewhere:5347" } }""", "Listeners.Component")]
    public void A_bad_value_is_refused_naming_its_key(string json, string key)
    {
        var file = _dir.Write("c.json", "{ \"Domain\": \"a.example\", " + json[2..]);

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.Equal(key, error.Key);
    }
}
