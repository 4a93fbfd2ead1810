using Converge.Configuration;
using Converge.Core.Federation;

namespace Converge.Tests.Configuration;

public sealed class InterconnectionConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConvergeSettings Load(string json) => ConfigurationLoader.Load(_dir.Write("converge.json", json), NoEnvironment).Settings;

    [Fact]
    public void Agreements_provider_and_federation_sections_are_read()
    {
        var settings = Load("""
            {
              "Domain": "a.example",
              "Federation": { "Open": false },
              "Provider": { "Name": "Provider A", "LogoUrl": "https://a.example/logo.png", "NumberRanges": ["+4940"] },
              "Agreements": {
                "b.example": {
                  "Address": "127.0.0.1:6269",
                  "Features": ["Messaging", "Presence", "Subscription", "Search", "Sessions"],
                  "NumberRanges": ["+4930"],
                  "Expose": { "ProviderBranding": false, "DeviceType": true, "AccessNetwork": false },
                  "StanzasPerSecond": 200
                }
              }
            }
            """);

        var interconnection = settings.Interconnection;
        Assert.Equal("Provider A", interconnection.ProviderName);
        Assert.Equal(["+4940"], interconnection.OwnNumberRanges);
        var b = Assert.Single(interconnection.Agreements.Agreements);
        Assert.Equal("b.example", b.PeerDomain);
        Assert.True(b.Allows(InterconnectionFeature.Search | InterconnectionFeature.Sessions));
        Assert.Equal(new ExposurePolicy(false, true, false), b.Expose);
        Assert.Equal(200, b.StanzasPerSecond);
        Assert.Equal(NumberRoute.Peer("b.example"), interconnection.Agreements.RouteNumber("+4930123"));
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void Interworking_is_a_feature_with_its_own_rate_and_certificates_are_required_only_where_asked()
    {
        var settings = Load("""
            {
              "Domain": "a.example",
              "Agreements": {
                "b.example": { "Features": ["Messaging", "Interworking"], "InterworkingPerMinute": 5, "RequireCertificate": true },
                "c.example": { "Features": ["Messaging"] }
              }
            }
            """);

        var book = settings.Interconnection.Agreements;
        var b = book.Find("b.example")!;
        Assert.True(b.Allows(InterconnectionFeature.Interworking));
        Assert.Equal(5, b.InterworkingPerMinute);
        Assert.True(b.RequireCertificate);
        var c = book.Find("c.example")!;
        Assert.False(c.Allows(InterconnectionFeature.Interworking));
        Assert.Equal(InterconnectionAgreement.DefaultInterworkingPerMinute, c.InterworkingPerMinute);
        Assert.False(c.RequireCertificate); // no Federation.TrustedCertificates: nothing to check a certificate against
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void An_agreement_covers_its_subdomains_only_with_IncludeSubdomains()
    {
        var settings = Load("""
            {
              "Domain": "a.example",
              "Agreements": {
                "b.example": { "Features": ["Messaging"], "IncludeSubdomains": true },
                "c.example": { "Features": ["Messaging"] }
              }
            }
            """);

        var book = settings.Interconnection.Agreements;
        Assert.True(book.Find("b.example")!.IncludeSubdomains);
        Assert.Equal("b.example", book.Find("conference.b.example")?.PeerDomain);
        Assert.False(book.Find("c.example")!.IncludeSubdomains);
        Assert.Null(book.Find("conference.c.example"));
        Assert.Empty(settings.Warnings);
    }

    [Theory]
    [InlineData("""{ "Agreements": { "b.example": { "InterworkingPerMinute": "-1" } } }""", "Agreements.b.example.InterworkingPerMinute")]
    [InlineData("""{ "Agreements": { "b.example": { "InterworkingPerMinute": "lots" } } }""", "Agreements.b.example.InterworkingPerMinute")]
    [InlineData("""{ "Agreements": { "b.example": { "RequireCertificate": "perhaps" } } }""", "Agreements.b.example.RequireCertificate")]
    [InlineData("""{ "Agreements": { "b.example": { "IncludeSubdomains": "some" } } }""", "Agreements.b.example.IncludeSubdomains")]
    [InlineData("""{ "Agreements": { "b.example": { "StanzasPerSecond": "-5" } } }""", "Agreements.b.example.StanzasPerSecond")]
    [InlineData("""{ "Agreements": { "b.example": { "Features": ["Telepathy"] } } }""", "Agreements.b.example.Features")]
    [InlineData("""{ "Agreements": { "b.example": { "Address": "nowhere" } } }""", "Agreements.b.example.Address")]
    [InlineData("""{ "Agreements": { "b.example": { "NumberRanges": ["4930"] } } }""", "Agreements.b.example.NumberRanges")]
    [InlineData("""{ "Agreements": { "b.example": { "Expose": { "DeviceType": "maybe" } } } }""", "Agreements.b.example.Expose.DeviceType")]
    [InlineData("""{ "Agreements": { "bad domain": { } } }""", "Agreements.bad domain")]
    [InlineData("""{ "Provider": { "NumberRanges": ["+4930"] }, "Agreements": { "b.example": { "NumberRanges": ["+4930"] } } }""", "Agreements.b.example.NumberRanges")]
    [InlineData("""{ "Federation": { "Open": "sometimes" } }""", "Federation.Open")]
    [InlineData("""{ "Provider": { "LogoUrl": "not a url" } }""", "Provider.LogoUrl")]
    public void A_wrong_value_is_refused_naming_its_key(string json, string key)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(json));
        Assert.Equal(key, e.Key);
        Assert.DoesNotContain('\n', e.Message);
    }
}
