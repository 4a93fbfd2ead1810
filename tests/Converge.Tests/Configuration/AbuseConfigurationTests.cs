using Converge.Configuration;

namespace Converge.Tests.Configuration;

/// <summary>Archive.QuotaBytesPerUser: on by default, off with 0, never negative.</summary>
public sealed class AbuseConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_archive_quota_is_one_gibibyte_by_default_and_read_from_the_file()
    {
        var defaults = ConfigurationLoader.Load(_dir.Write("a.json", """{ "Domain": "a.example" }"""), NoEnvironment).Settings;
        var set = ConfigurationLoader.Load(_dir.Write("b.json", """{ "Domain": "a.example", "Archive": { "QuotaBytesPerUser": 0 } }"""), NoEnvironment).Settings;

        Assert.Equal(1L << 30, defaults.ArchiveQuotaBytesPerUser);
        Assert.Equal(0, set.ArchiveQuotaBytesPerUser);
    }

    [Fact]
    public void A_negative_archive_quota_is_refused_naming_its_key()
    {
        var file = _dir.Write("converge.json", """{ "Domain": "a.example", "Archive": { "QuotaBytesPerUser": -1 } }""");
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));
        Assert.Contains("Archive.QuotaBytesPerUser", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rtbl_sources_are_read_with_the_service_case_folded()
    {
        var file = _dir.Write("converge.json", """
            { "Domain": "a.example", "Federation": { "Rtbl": [ { "Service": "XmppBL.org", "Node": "muc_bans_sha256" } ] } }
            """);
        var loaded = ConfigurationLoader.Load(file, NoEnvironment);

        Assert.Equal([new Converge.Xmpp.Federation.Rtbl.RtblSource("xmppbl.org", "muc_bans_sha256")], loaded.Settings.FederationLinks.Rtbl);
        Assert.Empty(loaded.Settings.Warnings);
    }

    [Theory]
    [InlineData("""{ "Domain": "a.example", "Federation": { "Rtbl": [ { "Service": "user@xmppbl.org", "Node": "n" } ] } }""", "Federation.Rtbl[0].Service")]
    [InlineData("""{ "Domain": "a.example", "Federation": { "Rtbl": [ { "Service": "xmppbl.org" } ] } }""", "Federation.Rtbl[0].Node")]
    public void A_wrong_rtbl_entry_is_refused_naming_its_key(string json, string key)
    {
        var file = _dir.Write("converge.json", json);
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
