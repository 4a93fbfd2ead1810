using Converge.Configuration;

namespace Converge.Tests.Cluster;

/// <summary>The Cluster section: what a node needs, what is derived, and what is refused in one line.</summary>
public sealed class ClusterConfigurationTests : IDisposable
{
    private const string Postgres = "\"Storage\": { \"Provider\": \"Postgres\", \"ConnectionString\": \"Host=127.0.0.1;Database=c;Username=c\" }";

    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    private readonly string _dir = Directory.CreateTempSubdirectory("converge-cluster-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Without_a_cluster_section_a_node_is_alone()
    {
        Assert.Null(ConfigurationLoader.Load(Write("{ " + Postgres + " }"), NoEnvironment).Settings.Cluster);
        Assert.Null(ConfigurationLoader.Load(Write("{ " + Postgres + ", \"Cluster\": { \"Enabled\": false, \"NodeName\": \"n1\" } }"), NoEnvironment).Settings.Cluster);
    }

    [Fact]
    public void A_cluster_on_sqlite_is_refused_with_one_clear_line()
    {
        var error = Assert.Throws<ConfigurationException>(
            () => ConfigurationLoader.Load(Write("""{ "Cluster": { "Enabled": true, "NodeName": "n1" } }"""), NoEnvironment));

        Assert.StartsWith("configuration error: Cluster.Enabled: a cluster needs Storage.Provider Postgres", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("\"Federation\": { \"Open\": true }")]
    [InlineData("\"Agreements\": { \"b.example\": { \"Features\": [\"Messaging\"] } }")]
    public void A_cluster_node_that_federates_without_a_shared_dialback_secret_is_refused(string federation)
    {
        var cluster = ", \"Cluster\": { \"Enabled\": true, \"NodeName\": \"n1\" }";
        var error = Assert.Throws<ConfigurationException>(
            () => ConfigurationLoader.Load(Write("{ " + Postgres + cluster + ", " + federation + " }"), NoEnvironment));
        Assert.StartsWith("configuration error: Federation.DialbackSecret: a cluster node that federates needs the same secret on every node", error.Message, StringComparison.Ordinal);

        // The same node with the secret set, and a lone node without it, start.
        var secret = federation.StartsWith("\"Federation\"", StringComparison.Ordinal)
            ? "\"Federation\": { \"Open\": true, \"DialbackSecret\": \"" + new string('s', 40) + "\" }"
            : federation + ", \"Federation\": { \"DialbackSecret\": \"" + new string('s', 40) + "\" }";
        Assert.NotNull(ConfigurationLoader.Load(Write("{ " + Postgres + cluster + ", " + secret + " }"), NoEnvironment).Settings.Cluster);
        Assert.Null(ConfigurationLoader.Load(Write("{ " + Postgres + ", " + federation + " }"), NoEnvironment).Settings.Cluster);
    }

    [Fact]
    public void Enabled_name_and_connection_string_are_all_a_node_needs()
    {
        var cluster = ConfigurationLoader.Load(Write("{ " + Postgres + ", \"Cluster\": { \"Enabled\": true, \"NodeName\": \"n1\" } }"), NoEnvironment).Settings.Cluster!;

        Assert.Equal("n1", cluster.NodeName);
        Assert.Equal(11111, cluster.SiloPort);
        Assert.Null(cluster.GatewayPort);
        Assert.Equal("converge", cluster.ClusterId);
        Assert.Equal("Host=127.0.0.1;Database=c;Username=c", cluster.ConnectionString);
        Assert.Equal(TimeSpan.FromSeconds(5), cluster.ProbeTimeout);
        Assert.Equal(3, cluster.MissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(15), cluster.OutboxLaneLease);
    }

    [Fact]
    public void Without_a_node_name_the_machine_name_is_used()
    {
        var cluster = ConfigurationLoader.Load(Write("{ " + Postgres + ", \"Cluster\": { \"Enabled\": true } }"), NoEnvironment).Settings.Cluster!;

        Assert.Equal(Environment.MachineName, cluster.NodeName);
    }

    [Theory]
    [InlineData("\"NodeName\": \"node one\"", "Cluster.NodeName")]
    [InlineData("\"SiloPort\": 70000", "Cluster.SiloPort")]
    [InlineData("\"SiloPort\": 11111, \"GatewayPort\": 11111", "Cluster.GatewayPort")]
    [InlineData("\"Address\": \"node1.example\"", "Cluster.Address")]
    [InlineData("\"ClusterId\": \" \"", "Cluster.ClusterId")]
    [InlineData("\"MissedProbesLimit\": 0", "Cluster.MissedProbesLimit")]
    [InlineData("\"ProbeTimeout\": \"-00:00:01\"", "Cluster.ProbeTimeout")]
    [InlineData("\"OutboxLaneLease\": \"00:00:00.500\"", "Cluster.OutboxLaneLease")]
    [InlineData("\"OutboxLaneLease\": \"02:00:00\"", "Cluster.OutboxLaneLease")]
    public void A_bad_cluster_value_is_refused_naming_the_key(string setting, string key)
    {
        var error = Assert.Throws<ConfigurationException>(
            () => ConfigurationLoader.Load(Write("{ " + Postgres + ", \"Cluster\": { \"Enabled\": true, " + setting + " } }"), NoEnvironment));

        Assert.StartsWith($"configuration error: {key}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
