using Converge.Configuration;

namespace Converge.Tests.Configuration;

public sealed class AdminConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Defaults_serve_the_admin_paths_on_the_http_listener_log_as_text_and_list_no_admin_account()
    {
        var settings = ConfigurationLoader.Load(null, NoEnvironment).Settings;

        Assert.Null(settings.AdminEndpoint);
        Assert.Equal(LogFormat.Simple, settings.LogFormat);
        Assert.Empty(settings.Admin.Accounts);
    }

    [Fact]
    public void Admin_accounts_a_separate_admin_listener_and_json_logs_are_read()
    {
        var file = _dir.Write("c.json", """
            { "Domain": "a.example",
              "Listeners": { "Admin": "127.0.0.1:5281" },
              "Admin": { "Accounts": [ "ops@A.example", "noc@a.example" ] },
              "Logging": { "Format": "json" } }
            """);

        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings;

        Assert.Equal("127.0.0.1:5281", settings.AdminEndpoint!.ToString());
        Assert.Equal(["ops@a.example", "noc@a.example"], settings.Admin.Accounts);
        Assert.Equal(LogFormat.Json, settings.LogFormat);
    }

    [Theory]
    [InlineData("""{ "Admin": { "Accounts": [ "ops@other.example" ] } }""", "Admin.Accounts[0]")]
    [InlineData("""{ "Admin": { "Accounts": [ "a.example" ] } }""", "Admin.Accounts[0]")]
    [InlineData("""{ "Admin": { "Accounts": [ "ops@a.example/phone" ] } }""", "Admin.Accounts[0]")]
    [InlineData("""{ "Logging": { "Format": "xml" } }""", "Logging.Format")]
    [InlineData("""{ "Listeners": { "Admin": "127.0.0.1:5280" } }""", "Listeners.Admin")]
    public void A_bad_value_is_refused_naming_its_key(string json, string key)
    {
        var file = _dir.Write("c.json", json.Replace("{ ", "{ \"Domain\": \"a.example\", ", StringComparison.Ordinal));

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.Equal(key, error.Key);
    }
}
