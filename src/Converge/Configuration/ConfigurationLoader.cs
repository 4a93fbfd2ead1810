using System.Collections;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>
/// Reads the configuration: the JSON file given with --config, then environment variables
/// prefixed CONVERGE_ with "__" as the section separator (the .NET convention), which win.
/// The environment is passed in so tests need not touch the process's variables.
/// </summary>
internal static class ConfigurationLoader
{
    public const string EnvironmentPrefix = "CONVERGE_";

    // Logging belongs to the logging library; the interconnection sections are dictionaries and lists,
    // read by InterconnectionParser rather than the property binder.
    private static readonly HashSet<string> ForeignSections = new(StringComparer.OrdinalIgnoreCase) { "Logging", "Federation", "Provider", "Agreements", "Sms", "Email", "Admin", "Components", "ContactAddresses", "ExternalServices" };

    public static LoadedConfiguration Load(string? configFile, IReadOnlyDictionary<string, string> environment)
    {
        var builder = new ConfigurationBuilder();
        string baseDirectory;
        if (configFile is null)
        {
            baseDirectory = Directory.GetCurrentDirectory();
        }
        else
        {
            var fullPath = Path.GetFullPath(configFile);
            if (!File.Exists(fullPath))
            {
                throw new ConfigurationException("--config", $"file '{fullPath}' does not exist");
            }

            baseDirectory = Path.GetDirectoryName(fullPath)!;
            builder.AddJsonFile(fullPath, optional: false, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(FromEnvironment(environment));
        var root = Build(builder, configFile);

        var warnings = new List<string>();
        var options = new ConvergeOptions();
        OptionsBinder.Bind(root, options, "", warnings, ForeignSections);
        var settings = ConfigurationValidator.Validate(options, baseDirectory, warnings);
        var sms = SmsParser.Parse(root, warnings, baseDirectory);
        settings = settings with { Interconnection = InterconnectionParser.Parse(root, settings.Domain, warnings), Sms = sms, Email = EmailParser.Parse(root, settings.Domain, sms, warnings), FederationLinks = FederationLinkParser.Parse(root, baseDirectory), ConfigFile = configFile is null ? null : Path.GetFullPath(configFile) };
        RequireSharedDialbackSecret(settings);
        settings = settings with { Admin = AdminParser.Parse(root, settings.Domain, warnings), LogFormat = AdminParser.ParseLogFormat(root) };
        settings = settings with
        {
            Components = ComponentsParser.Parse(root, settings, warnings),
            ContactAddresses = DiscoveryParser.ParseContactAddresses(root, warnings),
            ExternalServices = DiscoveryParser.ParseExternalServices(root, warnings),
        };
        return new LoadedConfiguration(root, settings);
    }

    /// <summary>The process environment as the loader wants it.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return result;
    }

    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IReadOnlyDictionary<string, string> environment) =>
        environment
            .Where(e => e.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && e.Key.Length > EnvironmentPrefix.Length)
            .Select(e => new KeyValuePair<string, string?>(
                e.Key[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
                e.Value));

    private static IConfigurationRoot Build(ConfigurationBuilder builder, string? configFile)
    {
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            var json = Causes(e).OfType<JsonException>().FirstOrDefault();
            var problem = json is null
                ? Causes(e).Last().Message.ReplaceLineEndings(" ")
                : $"not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})";
            throw new ConfigurationException(configFile ?? "(environment)", problem, e);
        }
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    /// <summary>
    /// A cluster node that federates must share the dialback secret with every other node: a peer
    /// verifies the key one node gave it (XEP-0220) through whichever node its verification connection
    /// reaches, and a per-process random secret makes that fail for every node but the one DNS names.
    /// </summary>
    private static void RequireSharedDialbackSecret(ConvergeSettings settings)
    {
        var agreements = settings.Interconnection.Agreements;
        if (settings.Cluster is not null && settings.FederationLinks.DialbackSecret is null
            && (agreements.Open || agreements.Agreements.Count > 0))
        {
            throw new ConfigurationException(
                "Federation.DialbackSecret",
                "a cluster node that federates needs the same secret on every node (a peer verifies a dialback key through any node; docs/cluster.md)");
        }
    }
}
