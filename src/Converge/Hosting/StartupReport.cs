using Converge.Configuration;
using Converge.Tls;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Converge.Hosting;

/// <summary>
/// Says at start what this process is and serves: version, domain, data, storage, certificate,
/// configuration warnings, and (once Kestrel is up) the HTTP address. Registered first so that
/// it is the first thing an operator reads.
/// </summary>
internal sealed partial class StartupReport(
    ConvergeSettings settings,
    ServerCertificate certificate,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    TimeProvider time,
    ILogger<StartupReport> logger) : IHostedService
{
    // A certificate this close to its end is worth a warning at every start.
    private static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(14);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogVersion(logger, ConvergeVersion.Text, settings.Domain);
        LogDataDirectory(logger, settings.DataDirectory);
        if (DataDirectory.AccessWarning(settings.DataDirectory) is { } access)
        {
            LogDataDirectoryOpen(logger, access);
        }

        LogStorage(logger, settings.StorageProvider, settings.StorageDescription);
        foreach (var warning in settings.Warnings)
        {
            LogConfigurationWarning(logger, warning);
        }

        var x509 = certificate.Certificate;
        LogCertificate(logger, x509.Subject, x509.NotAfter.ToUniversalTime(), Describe(certificate));
        if (!x509.MatchesHostname(settings.Domain))
        {
            LogCertificateNameMismatch(logger, x509.Subject, settings.Domain);
        }

        if (x509.NotAfter.ToUniversalTime() < time.GetUtcNow().UtcDateTime + ExpiryWarning)
        {
            LogCertificateExpiring(logger, x509.NotAfter.ToUniversalTime());
        }

        var agreements = settings.Interconnection.Agreements;
        LogFederation(logger, agreements.Agreements.Count, agreements.Open);
        if (settings.Sms is { } sms)
        {
            var destinations = sms.Destinations.Policy(sms.Smpp.CountryCode, settings.Interconnection.OwnNumberRanges);
            if (destinations.IsOpen)
            {
                LogSmsDestinationsOpen(logger);
            }
            else
            {
                LogSmsDestinations(logger, Describe(destinations.HomeCountryCodes.Select(c => "+" + c)), Describe(destinations.Allow), Describe(destinations.Deny), sms.MaxPerSenderPerDay);
            }
        }

        lifetime.ApplicationStarted.Register(ReportHttpAddresses);
        return Task.CompletedTask;
    }

    private static string Describe(IEnumerable<string> items) => items.Any() ? string.Join(" ", items) : "none";

    [LoggerMessage(EventId = 912, Level = LogLevel.Information, Message = "SMS destinations: home {Home}, also allowed {Allow}, denied {Deny}; at most {PerDay} SMS per sender per day (0: no limit)")]
    private static partial void LogSmsDestinations(ILogger logger, string home, string allow, string deny, int perDay);

    [LoggerMessage(EventId = 913, Level = LogLevel.Warning, Message = "SMS destinations are not restricted: no Sms.HomeCountryCode, Sms.CountryCode, Provider.NumberRanges or Sms.DestinationPrefixes, so the gateway sends to any number, premium-rate and international included")]
    private static partial void LogSmsDestinationsOpen(ILogger logger);

    // Registered first, so stopped last: this line means every other service has stopped.
    public Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopped(logger, settings.Domain);
        return Task.CompletedTask;
    }

    private static string Describe(ServerCertificate certificate) => certificate.Origin switch
    {
        CertificateOrigin.Generated => "self-signed, generated into " + certificate.Source,
        CertificateOrigin.Reused => "self-signed, from " + certificate.Source,
        _ => "from " + certificate.Source,
    };

    private void ReportHttpAddresses()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (var address in addresses ?? [])
        {
            LogHttpListening(logger, address);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Converge {Version} serving {Domain}")]
    private static partial void LogVersion(ILogger logger, string version, string domain);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Data directory {DataDirectory}")]
    private static partial void LogDataDirectory(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 914, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogDataDirectoryOpen(ILogger logger, string warning);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Storage {Provider} at {Path}")]
    private static partial void LogStorage(ILogger logger, StorageProvider provider, string path);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "Certificate {Subject}, valid until {NotAfter:yyyy-MM-dd HH:mm}Z ({Source})")]
    private static partial void LogCertificate(ILogger logger, string subject, DateTime notAfter, string source);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "Certificate {Subject} does not name the domain {Domain}: clients will refuse it")]
    private static partial void LogCertificateNameMismatch(ILogger logger, string subject, string domain);

    [LoggerMessage(EventId = 905, Level = LogLevel.Warning, Message = "Certificate expires {NotAfter:yyyy-MM-dd HH:mm}Z: renew it")]
    private static partial void LogCertificateExpiring(ILogger logger, DateTime notAfter);

    [LoggerMessage(EventId = 906, Level = LogLevel.Warning, Message = "Configuration: {Warning}")]
    private static partial void LogConfigurationWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 907, Level = LogLevel.Information, Message = "Listening for HTTP on {Address}")]
    private static partial void LogHttpListening(ILogger logger, string address);

    [LoggerMessage(EventId = 908, Level = LogLevel.Information, Message = "Interconnection: {Count} agreements (open federation: {Open})")]
    private static partial void LogFederation(ILogger logger, int count, bool open);

    [LoggerMessage(EventId = 909, Level = LogLevel.Information, Message = "Converge for {Domain} stopped")]
    private static partial void LogStopped(ILogger logger, string domain);
}
