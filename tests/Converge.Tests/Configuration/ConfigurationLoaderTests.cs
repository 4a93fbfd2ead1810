using System.Net;
using System.Text.Json.Nodes;
using Converge.Configuration;
using Converge.Interworking.Sms;

namespace Converge.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Without_a_file_the_defaults_serve_localhost_on_loopback_from_data_in_the_current_directory()
    {
        var settings = ConfigurationLoader.Load(null, NoEnvironment).Settings;

        Assert.Equal("localhost", settings.Domain);
        Assert.Equal(Path.GetFullPath("data"), settings.DataDirectory);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5222"), settings.ClientEndpoint);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5223"), settings.ClientDirectTlsEndpoint);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5269"), settings.ServerEndpoint);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5280"), settings.HttpEndpoint);
        Assert.Equal(StorageProvider.Sqlite, settings.StorageProvider);
        Assert.Equal(Path.Combine(settings.DataDirectory, "converge.db"), settings.StoragePath);
        Assert.Null(settings.CertificatePath);
        Assert.Equal(Path.Combine(settings.DataDirectory, "tls"), settings.GeneratedCertificateDirectory);
        Assert.Equal(new Xmpp.Xml.XmlLimits().MaxStanzaBytes, settings.XmlLimits.MaxStanzaBytes);
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void Relative_paths_in_a_file_are_resolved_against_the_file_folder()
    {
        var cert = _dir.Write("conf/certs/a.pem", "x");
        _dir.Write("conf/certs/a.key", "x");
        var file = _dir.Write("conf/converge.json", """
            {
              "Domain": "A.Example",
              "DataDirectory": "state",
              "Storage": { "Path": "db/main.db" },
              "Tls": { "CertificatePath": "certs/a.pem", "KeyPath": "certs/a.key" }
            }
            """);

        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings;

        Assert.Equal("a.example", settings.Domain);
        Assert.Equal(_dir.File("conf/state"), settings.DataDirectory);
        Assert.Equal(_dir.File("conf/db/main.db"), settings.StoragePath);
        Assert.Equal(cert, settings.CertificatePath);
        Assert.Equal(_dir.File("conf/certs/a.key"), settings.KeyPath);
    }

    [Fact]
    public void An_environment_variable_wins_over_the_file()
    {
        var file = _dir.Write("converge.json", """{ "Domain": "file.example", "Listeners": { "Client": "127.0.0.1:7000" } }""");
        var environment = new Dictionary<string, string>
        {
            ["CONVERGE_Listeners__Client"] = "127.0.0.1:6222",
            ["converge_limits__client__idletimeout"] = "00:01:30",
            ["OTHER_Domain"] = "ignored.example",
        };

        var settings = ConfigurationLoader.Load(file, environment).Settings;

        Assert.Equal(IPEndPoint.Parse("127.0.0.1:6222"), settings.ClientEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.ClientLimits.IdleTimeout);
        Assert.Equal("file.example", settings.Domain);
    }

    [Fact]
    public void An_empty_listener_value_disables_that_listener()
    {
        var file = _dir.Write("converge.json", """{ "Listeners": { "Http": "", "Server": null } }""");
        var environment = new Dictionary<string, string> { ["CONVERGE_Listeners__ClientDirectTls"] = "" };

        var settings = ConfigurationLoader.Load(file, environment).Settings;

        Assert.Null(settings.HttpEndpoint);
        Assert.Null(settings.ServerEndpoint);
        Assert.Null(settings.ClientDirectTlsEndpoint);
        Assert.NotNull(settings.ClientEndpoint);
    }

    [Theory]
    [InlineData("localhost:5222", "127.0.0.1:5222")]
    [InlineData("0.0.0.0:5222", "0.0.0.0:5222")]
    [InlineData("[::1]:5222", "[::1]:5222")]
    [InlineData("[::]:1", "[::]:1")]
    [InlineData("10.1.2.3:65535", "10.1.2.3:65535")]
    public void Listener_values_accept_IPv4_bracketed_IPv6_and_localhost(string value, string expected)
    {
        Assert.True(EndpointParser.TryParse(value, out var endpoint, out _));
        Assert.Equal(IPEndPoint.Parse(expected), endpoint);
    }

    [Fact]
    public void Limits_bind_onto_the_protocol_limits_classes()
    {
        var file = _dir.Write("converge.json", """
            { "Limits": { "Xml": { "MaxStanzaBytes": 65536, "maxdepth": "16" }, "Client": { "NegotiationTimeout": "00:00:10", "MaxResourcesPerAccount": 3 } } }
            """);

        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings;

        Assert.Equal(65536, settings.XmlLimits.MaxStanzaBytes);
        Assert.Equal(16, settings.XmlLimits.MaxDepth);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ClientLimits.NegotiationTimeout);
        Assert.Equal(3, settings.ClientLimits.MaxResourcesPerAccount);
    }

    [Fact]
    public void The_hardening_limits_bind_with_their_documented_names_and_defaults()
    {
        var defaults = ConfigurationLoader.Load(_dir.Write("empty.json", "{}"), NoEnvironment).Settings;
        Assert.Equal(8L * 1024 * 1024, defaults.ClientLimits.MaxQueuedBytes);
        Assert.Equal(20, defaults.ClientLimits.MaxUnauthenticatedPerAddress);
        Assert.Equal(10, defaults.ClientLimits.MaxSessionsPerAccount);
        Assert.Equal(20, defaults.ServerLimits.MaxUnauthenticatedPerAddress);
        Assert.Equal((20, 1000, TimeSpan.FromMinutes(10)), (defaults.SmtpLimits.MaxUnauthenticatedPerAddress, defaults.SmtpLimits.MaxCommands, defaults.SmtpLimits.SessionLifetime));

        var file = _dir.Write("converge.json", """
            { "Limits": {
                "Client": { "MaxQueuedBytes": 1048576, "MaxUnauthenticatedPerAddress": 0, "MaxSessionsPerAccount": 4, "SubscriptionRequestsPerMinute": 3 },
                "Server": { "MaxUnauthenticatedPerAddress": 5 },
                "Smtp": { "MaxUnauthenticatedPerAddress": 7, "MaxCommands": 200, "SessionLifetime": "00:02:00" } } }
            """);
        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings;

        Assert.Equal(1048576, settings.ClientLimits.MaxQueuedBytes);
        Assert.Equal(0, settings.ClientLimits.MaxUnauthenticatedPerAddress); // 0 turns it off
        Assert.Equal(4, settings.ClientLimits.MaxSessionsPerAccount);
        Assert.Equal(3, settings.ClientLimits.SubscriptionRequestsPerMinute);
        Assert.Equal(5, settings.ServerLimits.MaxUnauthenticatedPerAddress);
        Assert.Equal((7, 200, TimeSpan.FromMinutes(2)), (settings.SmtpLimits.MaxUnauthenticatedPerAddress, settings.SmtpLimits.MaxCommands, settings.SmtpLimits.SessionLifetime));
        Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(
            _dir.Write("bad.json", """{ "Limits": { "Smtp": { "MaxCommands": 0 } } }"""), NoEnvironment));
    }

    [Fact]
    public void Storage_Sqlite_binds_onto_the_SQLite_provider_options()
    {
        var file = _dir.Write("converge.json", """{ "Storage": { "Sqlite": { "SynchronousFull": true, "BusyTimeout": "00:00:02" } } }""");

        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings;

        Assert.True(settings.Sqlite.SynchronousFull);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Sqlite.BusyTimeout);
    }

    [Fact]
    public void Storage_Sqlite_MemoryMapMiB_zero_is_accepted_and_turns_the_map_off()
    {
        var file = _dir.Write("converge.json", """{ "Storage": { "Sqlite": { "MemoryMapMiB": 0 } } }""");

        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings;

        Assert.Equal(0, settings.Sqlite.MemoryMapMiB);
    }

    [Fact]
    public void Unknown_keys_are_warnings_and_Logging_is_not_unknown()
    {
        var file = _dir.Write("converge.json", """
            { "Gateways": { "b.example": {} }, "Listeners": { "Bosh": "x" }, "Logging": { "LogLevel": { "Default": "Debug" } } }
            """);

        var loaded = ConfigurationLoader.Load(file, NoEnvironment);

        Assert.Equal(["Gateways: unknown key, ignored", "Listeners.Bosh: unknown key, ignored"], loaded.Settings.Warnings);
        Assert.Equal("Debug", loaded.Root["Logging:LogLevel:Default"]);
    }

    [Theory]
    [InlineData("Listeners:Client", "127.0.0.1:99999", "Listeners.Client", "'127.0.0.1:99999' is not a valid host:port")]
    [InlineData("Listeners:Client", "127.0.0.1", "Listeners.Client", "'127.0.0.1' is not a valid host:port")]
    [InlineData("Listeners:ClientDirectTls", "::1:5223", "Listeners.ClientDirectTls", "IPv6 address goes in brackets")]
    [InlineData("Listeners:Server", "xmpp.example:5269", "Listeners.Server", "'xmpp.example:5269' is not a valid host:port")]
    [InlineData("Listeners:Http", "127.1:5280", "Listeners.Http", "is not a valid host:port")]
    [InlineData("Listeners:Http", "127.0.0.1:5222", "Listeners.Http", "127.0.0.1:5222 is already used by Listeners.Client")]
    [InlineData("Listeners:Http", "127.0.0.1:-1", "Listeners.Http", "is not a valid host:port")]
    [InlineData("Domain", "", "Domain", "must not be empty")]
    [InlineData("Domain", "alice@a.example", "Domain", "'alice@a.example' is not a valid domain name")]
    [InlineData("Domain", "a example", "Domain", "is not a valid domain name")]
    [InlineData("DataDirectory", "", "DataDirectory", "must not be empty")]
    [InlineData("Storage:Provider", "Postgres", "Storage.ConnectionString", "missing: Provider Postgres needs a connection string")]
    [InlineData("Storage:Provider", "Oracle", "Storage.Provider", "'Oracle' is not a known storage provider")]
    [InlineData("Tls:CertificatePath", "cert.pem", "Tls.KeyPath", "missing")]
    [InlineData("Tls:KeyPath", "key.pem", "Tls.CertificatePath", "missing")]
    [InlineData("Limits:Xml:MaxDepth", "deep", "Limits.Xml.MaxDepth", "'deep' is not a whole number")]
    [InlineData("Limits:Xml:MaxStanzaBytes", "0", "Limits.Xml.MaxStanzaBytes", "must be greater than zero")]
    [InlineData("Limits:Client:IdleTimeout", "5 minutes", "Limits.Client.IdleTimeout", "is not a time span like 00:05:00")]
    [InlineData("Limits:Client:KeepaliveInterval", "-00:00:01", "Limits.Client.KeepaliveInterval", "must be greater than zero")]
    [InlineData("Limits:Client:MaxOutboundQueue", "1.5", "Limits.Client.MaxOutboundQueue", "is not a whole number")]
    [InlineData("Storage:Sqlite:MemoryMapMiB", "-1", "Storage.Sqlite.MemoryMapMiB", "'-1' must not be negative")]
    [InlineData("Storage:Sqlite:ReaderConnections", "0", "Storage.Sqlite.ReaderConnections", "must be greater than zero")]
    [InlineData("Storage:Sqlite:SynchronousFull", "yes", "Storage.Sqlite.SynchronousFull", "'yes' is not true or false")]
    [InlineData("Archive:Retention", "00:00:00", "Archive.Retention", "must be")]
    [InlineData("Archive:Retention", "-1.00:00:00", "Archive.Retention", "must be")]
    [InlineData("Listeners", "127.0.0.1:5222", "Listeners", "expected a section with keys")]
    [InlineData("Limits:Xml:MaxDepth:Inner", "3", "Limits.Xml.MaxDepth", "expected a value, found a section")]
    public void A_bad_value_is_refused_with_one_line_naming_the_key(string path, string value, string key, string problem)
    {
        var file = _dir.Write("converge.json", Nest(path, value).ToJsonString());

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.StartsWith($"configuration error: {key}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Sms_country_code_and_national_prefix_reach_the_smpp_options()
    {
        var file = _dir.Write("converge.json", """
            { "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv", "CountryCode": "+49", "NationalPrefix": "" } }
            """);

        var sms = ConfigurationLoader.Load(file, NoEnvironment).Settings.Sms!;

        Assert.Equal("49", sms.Smpp.CountryCode);
        Assert.Equal("", sms.Smpp.NationalPrefix);
        Assert.Null(ConfigurationLoader.Load(_dir.Write("b.json", """{ "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv" } }"""), NoEnvironment).Settings.Sms!.Smpp.CountryCode);
    }

    [Theory]
    [InlineData(null, SmppReceiptIdBase.Same)]
    [InlineData("decimal", SmppReceiptIdBase.Decimal)]
    [InlineData("Hex", SmppReceiptIdBase.Hex)]
    public void Sms_receipt_id_base_reaches_the_smpp_options_and_defaults_to_comparing_as_written(string? value, SmppReceiptIdBase expected)
    {
        var extra = value is null ? "" : $", \"ReceiptIdBase\": \"{value}\"";
        var file = _dir.Write("converge.json", $$"""{ "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv"{{extra}} } }""");

        var loaded = ConfigurationLoader.Load(file, NoEnvironment);

        Assert.Equal(expected, loaded.Settings.Sms!.Smpp.ReceiptIdBase);
        Assert.Empty(loaded.Settings.Warnings);
    }

    [Fact]
    public void Sms_tls_is_off_by_default_and_reads_its_name_and_a_ca_file_relative_to_the_configuration()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var ca = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=SMSC CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _dir.Write("smsc-ca.pem", ca.ExportCertificatePem());
        var file = _dir.Write("converge.json", """
            { "Sms": { "Smsc": "10.0.0.7:3550", "SystemId": "conv", "Tls": { "Enabled": true, "ServerName": "smsc.operator.example", "CertificateAuthority": "smsc-ca.pem" } } }
            """);

        var loaded = ConfigurationLoader.Load(file, NoEnvironment);
        var tls = loaded.Settings.Sms!.Smpp.Tls;

        Assert.True(tls.Enabled);
        Assert.Equal("smsc.operator.example", tls.ServerName);
        Assert.Equal(ca.Thumbprint, Assert.Single(tls.TrustedRoots!).Thumbprint);
        Assert.Empty(loaded.Settings.Warnings);
        var plain = ConfigurationLoader.Load(_dir.Write("b.json", """{ "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv" } }"""), NoEnvironment).Settings.Sms!.Smpp.Tls;
        Assert.False(plain.Enabled);
        Assert.Null(plain.TrustedRoots);
    }

    [Theory]
    [InlineData("""{ "Enabled": "yes" }""", "Sms.Tls.Enabled")]
    [InlineData("""{ "Enabled": true, "CertificateAuthority": "missing.pem" }""", "Sms.Tls.CertificateAuthority")]
    [InlineData("""{ "Enabled": true, "ServerName": "not a host" }""", "Sms.Tls.ServerName")]
    public void A_bad_sms_tls_setting_is_refused_naming_its_key(string tls, string key)
    {
        var file = _dir.Write("converge.json", $$"""{ "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv", "Tls": {{tls}} } }""");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.StartsWith($"configuration error: {key}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_sms_receipt_id_base_is_refused()
    {
        var file = _dir.Write("converge.json", """{ "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv", "ReceiptIdBase": "octal" } }""");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.StartsWith("configuration error: Sms.ReceiptIdBase: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sms_destination_rules_default_to_the_home_country_of_the_providers_ranges_and_a_daily_cap()
    {
        var file = _dir.Write("converge.json", """
            { "Provider": { "NumberRanges": [ "+4940" ] },
              "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv", "DestinationPrefixes": { "Allow": [ "+43" ], "Deny": [ "+49 900" ] } } }
            """);

        var settings = ConfigurationLoader.Load(file, NoEnvironment).Settings;
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=a.example", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var policy = Converge.Hosting.XmppService.OptionsFor(settings, certificate).SmsDestinations;

        Assert.Equal(["49"], policy.HomeCountryCodes);
        Assert.Equal(["+43"], policy.Allow);
        Assert.Equal(["+49900"], policy.Deny);
        Assert.Equal(500, settings.Sms!.MaxPerSenderPerDay);
        Assert.False(policy.Check("+4990012345").Allowed);
        Assert.True(policy.Check("+4366412345").Allowed);
    }

    [Fact]
    public void A_bad_sms_destination_prefix_is_refused_naming_its_list()
    {
        var file = _dir.Write("converge.json", """{ "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv", "DestinationPrefixes": { "Deny": [ "0900" ] } } }""");
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));
        Assert.StartsWith("configuration error: Sms.DestinationPrefixes.Deny: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CountryCode", "049", "is not a country calling code")]
    [InlineData("CountryCode", "4912", "is not a country calling code")]
    [InlineData("CountryCode", "4x", "is not a country calling code")]
    [InlineData("NationalPrefix", "O", "is not a trunk prefix")]
    public void A_bad_sms_number_setting_is_refused_naming_its_key(string key, string value, string problem)
    {
        var sms = new JsonObject { ["Smsc"] = "127.0.0.1:2775", ["SystemId"] = "conv", [key] = value };
        var file = _dir.Write("converge.json", new JsonObject { ["Sms"] = sms }.ToJsonString());

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.StartsWith($"configuration error: Sms.{key}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_from_the_environment_is_refused_the_same_way()
    {
        var environment = new Dictionary<string, string> { ["CONVERGE_Listeners__Http"] = "localhost:http" };

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(null, environment));

        Assert.Equal("configuration error: Listeners.Http: 'localhost:http' is not a valid host:port (the port must be a number from 0 to 65535)", error.Message);
    }

    [Fact]
    public void Certificate_files_that_do_not_exist_are_refused()
    {
        var file = _dir.Write("converge.json", """{ "Tls": { "CertificatePath": "missing.pem", "KeyPath": "missing.key" } }""");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.Equal($"configuration error: Tls.CertificatePath: file '{_dir.File("missing.pem")}' does not exist", error.Message);
    }

    [Fact]
    public void A_missing_configuration_file_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(_dir.File("none.json"), NoEnvironment));

        Assert.StartsWith("configuration error: --config: file ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_JSON_is_refused_with_its_line()
    {
        var file = _dir.Write("converge.json", "{\n  \"Domain\": \"a.example\",\n  oops\n}");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.StartsWith($"configuration error: {file}: not valid JSON (line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Email_rules_left_out_are_the_sms_sections_and_those_given_are_emails_own()
    {
        var file = _dir.Write("converge.json", """
            {
              "Sms": { "Smsc": "127.0.0.1:2775", "SystemId": "conv", "ReplyWindow": "02:00:00", "SessionInviteTimeout": "00:03:00",
                       "Templates": { "Invite": "sms invite", "EndKeyword": "STOP" } },
              "Email": { "ReplyWindow": "2.00:00:00", "Templates": { "Invite": "mail invite" } }
            }
            """);

        var email = ConfigurationLoader.Load(file, NoEnvironment).Settings.Email!;

        Assert.Equal(TimeSpan.FromDays(2), email.ReplyWindow);
        Assert.Equal(TimeSpan.FromMinutes(3), email.SessionInviteTimeout);
        Assert.Equal("mail invite", email.Templates.Invite);
        Assert.Equal("STOP", email.Templates.EndKeyword);
        Assert.Equal(InterworkingTemplates.Default.Accepted, email.Templates.Accepted);
    }

    [Fact]
    public void Without_an_sms_section_email_rules_default_to_the_built_in_ones()
    {
        var email = ConfigurationLoader.Load(_dir.Write("converge.json", """{ "Email": { "Inbound": "" } }"""), NoEnvironment).Settings.Email!;

        Assert.Equal(TimeSpan.FromHours(24), email.ReplyWindow);
        Assert.Equal(TimeSpan.FromMinutes(10), email.SessionInviteTimeout);
        Assert.Equal(InterworkingTemplates.Default, email.Templates);
    }

    [Fact]
    public void A_wrong_email_reply_window_is_refused_naming_its_key()
    {
        var file = _dir.Write("converge.json", """{ "Email": { "ReplyWindow": "soon" } }""");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(file, NoEnvironment));

        Assert.StartsWith("configuration error: Email.ReplyWindow: ", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Nest(string path, string value)
    {
        var parts = path.Split(':');
        JsonNode node = JsonValue.Create(value);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            node = new JsonObject { [parts[i]] = node };
        }

        return (JsonObject)node;
    }
}
